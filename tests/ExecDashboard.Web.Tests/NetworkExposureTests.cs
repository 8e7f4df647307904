using ExecDashboard.Web.Authentication;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Configuration;

namespace ExecDashboard.Web.Tests;

/// <summary>Which listeners count as plain HTTP beyond loopback, and how tokens are judged (pure logic).</summary>
public sealed class NetworkExposureTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5150", false)]
    [InlineData("http://127.0.0.2:5150", false)]
    [InlineData("http://localhost:5150", false)]
    [InlineData("http://[::1]:5150", false)]
    [InlineData("https://0.0.0.0:5151", false)]
    [InlineData("http://0.0.0.0:5150", true)]
    [InlineData("http://[::]:5150", true)]
    [InlineData("http://*:5150", true)]
    [InlineData("http://+:5150", true)]
    [InlineData("http://192.168.1.10:5150", true)]
    [InlineData("http://dashboard.example:5150", true)]
    public void Plain_http_beyond_loopback_is_named(string url, bool exposed)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["urls"] = url }).Build();
        Assert.Equal(exposed, NetworkExposure.PlainHttpOnNetwork(configuration).Count == 1);
    }

    [Fact]
    public void Kestrel_endpoints_count_too()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:Lan:Url"] = "http://10.0.0.5:5150",
            ["Kestrel:Endpoints:Local:Url"] = "http://127.0.0.1:5150",
        }).Build();
        Assert.Equal(["http://10.0.0.5:5150"], NetworkExposure.PlainHttpOnNetwork(configuration));
    }

    [Theory]
    [InlineData("0123456789abcdef0123456789abcdef", 128)]
    [InlineData("0123456789abcdef", 64)]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 80)]
    public void Token_bits_are_estimated_from_length_and_alphabet(string token, double bits) =>
        Assert.Equal(bits, TokenStrength.EstimateBits(token), precision: 6);
}
