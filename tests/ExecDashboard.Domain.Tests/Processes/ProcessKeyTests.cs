using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class ProcessKeyTests
{
    [Fact]
    public void Keys_differing_only_in_their_boot_are_different_processes()
    {
        var first = new ProcessKey("0f3c2a1b", 4242, 100);
        var second = new ProcessKey("9e8d7c6b", 4242, 100);

        Assert.NotEqual(first, second);
        Assert.False(first == second);
        var keys = new Dictionary<ProcessKey, string> { [first] = "first", [second] = "second" };
        Assert.Equal("first", keys[first]);
        Assert.Equal("second", keys[second]);
    }

    [Fact]
    public void Keys_with_equal_boot_texts_in_different_strings_are_one_process()
    {
        var boot = "0f3c2a1b";
        var first = new ProcessKey(boot, 4242, 100);
        var second = ProcessKey.Parse(string.Concat(boot.AsSpan(0, 4), boot.AsSpan(4)) + "/4242/100");

        Assert.Equal(first, second);
        Assert.Equal(first.GetHashCode(), second.GetHashCode());
        Assert.NotEqual(first, first with { Pid = 4243 });
        Assert.NotEqual(first, first with { StartTicks = 101 });
        Assert.NotEqual(ProcessKey.None, first with { Boot = string.Empty, Pid = 0 });
    }

    [Theory]
    [InlineData("0f3c2a1b", 4242, 100L, "0f3c2a1b/4242/100")]
    [InlineData("a.log", 1, 179552163471L, "a.log/1/179552163471")]
    [InlineData("b", int.MaxValue, long.MaxValue, "b/2147483647/9223372036854775807")]
    [InlineData("b", int.MinValue, long.MinValue, "b/-2147483648/-9223372036854775808")]
    [InlineData("", 7, -3L, "/7/-3")]
    public void Text_form_is_boot_slash_pid_slash_start(string boot, int pid, long start, string expected)
    {
        Assert.Equal(expected, new ProcessKey(boot, pid, start).ToString());
    }

    [Fact]
    public void Text_form_parses_back_to_the_same_key()
    {
        var key = new ProcessKey("a.log", 14742, 179552163471);

        Assert.Equal(key, ProcessKey.Parse(key.ToString()));
    }

    [Fact]
    public void Keys_of_no_process_have_empty_text()
    {
        Assert.Equal(string.Empty, ProcessKey.None.ToString());
        Assert.Equal(string.Empty, default(ProcessKey).ToString());
        Assert.Equal("/5/0", new ProcessKey(null!, 5, 0).ToString());
    }

    [Fact]
    public void Text_of_a_key_written_again_is_still_its_own()
    {
        // Keys written lately are remembered per slot: every key written in turn, twice, among
        // thousands that share slots, with boots equal in text but not in instance, or different.
        var boots = new[] { "a.log", string.Concat("a.", "log"), "b.log" };
        for (var round = 0; round < 2; round++)
        {
            for (var pid = 1; pid < 3000; pid += 7)
            {
                foreach (var boot in boots)
                {
                    var start = 179552163471L + (pid % 5);
                    Assert.Equal($"{boot}/{pid}/{start}", new ProcessKey(boot, pid, start).ToString());
                }
            }
        }
    }
}
