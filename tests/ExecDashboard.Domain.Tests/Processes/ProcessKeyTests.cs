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
}
