using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class RecentProcessesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Processes_whose_pid_and_start_add_up_alike_are_told_apart_and_pushed_out_in_turn()
    {
        // 100 + 900 = 101 + 899 = 102 + 898: one bucket.
        var recent = new RecentProcesses(3);
        recent.See(100, 900, T0, out _);
        recent.See(101, 899, T0.AddSeconds(1), out _);
        recent.See(102, 898, T0.AddSeconds(2), out _);

        Assert.False(recent.See(101, 899, T0.AddSeconds(3), out _));
        Assert.True(recent.See(103, 897, T0.AddSeconds(4), out var first));
        Assert.True(recent.See(104, 896, T0.AddSeconds(5), out var second));
        Assert.False(recent.See(101, 899, T0.AddSeconds(6), out _));
        Assert.False(recent.See(103, 897, T0.AddSeconds(7), out _));
        Assert.True(recent.See(100, 900, T0.AddSeconds(8), out var third));

        Assert.Equal((100, 900L, T0), first);
        Assert.Equal((102, 898L, T0.AddSeconds(2)), second);
        Assert.Equal((104, 896L, T0.AddSeconds(5)), third);
        Assert.Equal(3, recent.Count);
    }

}
