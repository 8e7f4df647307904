using System.Text;
using ExecDashboard.Audit.Mapping;

namespace ExecDashboard.Audit.Tests.Mapping;

public sealed class ArgumentTextCacheTests
{
    [Fact]
    public void An_argument_seen_again_is_the_same_string()
    {
        var cache = new ArgumentTextCache();

        Assert.True(cache.TryDecode("--verbose"u8, out var first));
        Assert.True(cache.TryDecode("--verbose"u8.ToArray(), out var again));

        Assert.Equal("--verbose", first);
        Assert.Same(first, again);
    }

    [Fact]
    public void Every_argument_reads_back_as_its_own_text_however_many_share_a_slot()
    {
        var cache = new ArgumentTextCache();
        var arguments = Enumerable.Range(0, 5000).Select(i => $"file-{i}.txt").ToArray();

        // More arguments than slots, twice over: evicted and colliding slots must never answer for another argument.
        foreach (var argument in arguments.Concat(arguments))
        {
            Assert.True(cache.TryDecode(Encoding.UTF8.GetBytes(argument), out var text));
            Assert.Equal(argument, text);
        }
    }

    [Fact]
    public void Invalid_UTF8_is_reported_and_replaced_also_when_repeated_and_long_text_passes_through()
    {
        var cache = new ArgumentTextCache();
        byte[] invalid = [0x66, 0xFF, 0x6F];
        var longArgument = new string('x', 500);

        Assert.False(cache.TryDecode(invalid, out var text));
        Assert.False(cache.TryDecode(invalid, out var again));
        Assert.True(cache.TryDecode(Encoding.UTF8.GetBytes(longArgument), out var longText));
        Assert.True(cache.TryDecode([], out var empty));

        Assert.Equal("f\uFFFDo", text);
        Assert.Equal(text, again);
        Assert.Equal(longArgument, longText);
        Assert.Equal(string.Empty, empty);
    }
}
