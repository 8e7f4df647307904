using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class RecentProcessesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_process_seen_behind_the_newest_is_pushed_out_after_older_ones_and_before_the_newest()
    {
        var recent = new RecentProcesses(3);
        recent.See(1, 10, T0, out _);
        recent.See(2, 20, T0.AddSeconds(1), out _);
        recent.See(3, 30, T0.AddSeconds(2), out _);

        recent.SeeBehindNewest(1, 10, T0.AddSeconds(5));

        Assert.True(recent.See(4, 40, T0.AddSeconds(6), out var first));
        Assert.True(recent.See(5, 50, T0.AddSeconds(7), out var second));
        Assert.True(recent.See(6, 60, T0.AddSeconds(8), out var third));
        Assert.Equal((2, 20L, T0.AddSeconds(1)), first);
        Assert.Equal((1, 10L, T0.AddSeconds(5)), second);
        Assert.Equal((3, 30L, T0.AddSeconds(2)), third);
    }

    [Fact]
    public void Seeing_behind_the_newest_a_process_it_does_not_hold_is_refused()
    {
        var recent = new RecentProcesses(3);
        recent.See(1, 10, T0, out _);

        Assert.Throws<InvalidOperationException>(() => recent.SeeBehindNewest(2, 20, T0));
        Assert.Throws<InvalidOperationException>(() => recent.SeeBehindNewest(1, 10, T0));
    }
}
