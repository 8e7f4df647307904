using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed partial class TokenFileTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Without_environment_tokens_both_are_generated_into_owner_only_files_under_XDG_DATA_HOME()
    {
        await using var server = await DashboardServer.StartWithEnvironmentAsync(new Dictionary<string, string?>
        {
            ["EXECDASH_TOKEN"] = null,
            ["EXECDASH_COLLECTOR_TOKEN"] = null,
        });
        var dataDirectory = Path.Combine(server.DataDirectory, "execdashboard");
        var tokenFile = Path.Combine(dataDirectory, "token");
        var collectorTokenFile = Path.Combine(dataDirectory, "collector-token");

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(tokenFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(collectorTokenFile));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(dataDirectory, "execdashboard.db")));
        var token = (await File.ReadAllTextAsync(tokenFile)).Trim();
        var collectorToken = (await File.ReadAllTextAsync(collectorTokenFile)).Trim();
        Assert.True(token.Length >= 32);
        Assert.NotEqual(token, collectorToken);

        var link = LoginLink().Match(server.Output);
        Assert.True(link.Success, server.Output);
        Assert.Equal(token, link.Groups["token"].Value);
        Assert.DoesNotContain(collectorToken, server.Output, StringComparison.Ordinal);

        using var client = server.Client(bearer: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync("/api/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_token_file_others_can_read_is_tightened_and_kept()
    {
        var home = Directory.CreateTempSubdirectory("execdash-web-test-home-").FullName;
        var dataDirectory = Directory.CreateDirectory(Path.Combine(home, "execdashboard")).FullName;
        var tokenFile = Path.Combine(dataDirectory, "token");
        await File.WriteAllTextAsync(tokenFile, "a-token-someone-wrote-by-hand-123\n");
        File.SetUnixFileMode(tokenFile, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await using var server = await DashboardServer.StartWithEnvironmentAsync(new Dictionary<string, string?>
        {
            ["EXECDASH_TOKEN"] = null,
            ["XDG_DATA_HOME"] = home,
        });

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(tokenFile));
        Assert.Contains("/login?t=a-token-someone-wrote-by-hand-123", server.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/login\?t=(?<token>[0-9a-f]+)")]
    private static partial Regex LoginLink();
}
