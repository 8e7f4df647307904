using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using Microsoft.Extensions.Time.Testing;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class ExecRateWindowTests
{
    private static readonly Ancestor Init = Ancestor(Key(1, 1), "/usr/lib/systemd/systemd", "/sbin/init");

    private static void Spawn(ExecRateWindow window, ProcessKey parent, DateTimeOffset time, int count, string child = "/usr/bin/true")
    {
        var ancestor = Ancestor(parent, "/usr/bin/bash", "bash", parent.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        for (var i = 0; i < count; i++)
        {
            window.Record(Exec(Key(90000 + i), [ancestor, Init], time, child, [child]));
        }
    }

    [Fact]
    public void A_copy_answers_as_the_window_did_and_records_apart_from_it()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time, new ExecRateOptions { MaxTrackedParents = 2 });
        Spawn(window, Key(10), T0, 5);
        Spawn(window, Key(20), T0.AddSeconds(3), 7);
        var copy = window.Clone();

        // The copy evicts its least recently active parent (10), as the window would have.
        Spawn(copy, Key(30), T0.AddSeconds(5), 9, "/usr/bin/false");

        Assert.Equal([Key(30), Key(20)], copy.TopParents(TimeSpan.FromMinutes(1), 5).Select(r => r.Parent));
        Assert.Equal(1, copy.EvictedParents);
        Assert.Equal("/usr/bin/false", Assert.Single(copy.TopParents(TimeSpan.FromMinutes(1), 1)[0].TopChildren).Exe);
        Assert.Equal([Key(20), Key(10)], window.TopParents(TimeSpan.FromMinutes(1), 5).Select(r => r.Parent));
        Assert.Equal(0, window.EvictedParents);
        Assert.Equal(7, copy.CountOf(Key(20), TimeSpan.FromMinutes(1)));
        Assert.Equal(7, window.CountOf(Key(20), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public void Ranks_parents_by_execs_over_the_window_most_first()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time);
        Spawn(window, Key(10), T0, 5);
        Spawn(window, Key(20), T0, 50);
        Spawn(window, Key(30), T0, 20);

        var top = window.TopParents(TimeSpan.FromMinutes(1), 2);

        Assert.Equal([Key(20), Key(30)], top.Select(r => r.Parent));
        Assert.Equal(50, top[0].Count);
        Assert.Equal(50 / 60.0, top[0].PerSecond, 9);
        Assert.Equal("/usr/bin/bash", top[0].Exe);
        Assert.Equal([Key(20), Key(1, 1)], top[0].Chain.Select(a => a.Key));
    }

    [Fact]
    public void Execs_leave_a_window_once_it_has_moved_past_them()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time);
        Spawn(window, Key(10), T0, 30);
        Spawn(window, Key(10), T0.AddSeconds(90), 7);
        time.SetUtcNow(T0.AddSeconds(100));

        Assert.Equal(7, window.RateOf(Key(10), TimeSpan.FromMinutes(1))!.Count);
        Assert.Equal(37, window.RateOf(Key(10), TimeSpan.FromMinutes(5))!.Count);

        time.SetUtcNow(T0.AddMinutes(62));
        Assert.Equal(0, window.RateOf(Key(10), TimeSpan.FromHours(1))!.Count);
        Assert.Empty(window.TopParents(TimeSpan.FromHours(1), 10));
    }

    [Fact]
    public void Windows_outside_the_precomputed_set_are_summed_from_the_ring()
    {
        var time = new FakeTimeProvider(T0.AddSeconds(10));
        var window = new ExecRateWindow(time);
        for (var s = 0; s <= 10; s++)
        {
            Spawn(window, Key(10), T0.AddSeconds(s), 1);
        }

        Assert.Equal(3, window.RateOf(Key(10), TimeSpan.FromSeconds(3))!.Count);
        Assert.Equal(10, window.RateOf(Key(10), TimeSpan.FromSeconds(10))!.Count);
    }

    [Fact]
    public void Series_has_one_point_per_bucket_with_zeros_and_the_newest_last()
    {
        var time = new FakeTimeProvider(T0.AddSeconds(59));
        var window = new ExecRateWindow(time);
        Spawn(window, Key(10), T0, 4);
        Spawn(window, Key(10), T0.AddSeconds(57), 2);

        var series = window.SeriesOf(Key(10), TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(5))!;

        Assert.Equal(12, series.Points.Count);
        Assert.Equal(T0, series.Points[0].Start);
        Assert.Equal(4, series.Points[0].Count);
        Assert.Equal(2, series.Points[^1].Count);
        Assert.Equal(6, series.Points.Sum(p => p.Count));
    }

    [Fact]
    public void Evicts_the_least_recently_active_parent_beyond_the_cap()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time, new ExecRateOptions { MaxTrackedParents = 2 });
        Spawn(window, Key(10), T0, 100);
        Spawn(window, Key(20), T0, 1);
        Spawn(window, Key(10), T0, 1);
        Spawn(window, Key(30), T0, 1);

        Assert.Equal(2, window.TrackedParents);
        Assert.Equal(1, window.EvictedParents);
        Assert.Null(window.RateOf(Key(20), TimeSpan.FromMinutes(1)));
        Assert.Equal(101, window.RateOf(Key(10), TimeSpan.FromMinutes(1))!.Count);
    }

    [Fact]
    public void Counts_execs_older_than_the_horizon_as_late_without_bucketing_them()
    {
        var time = new FakeTimeProvider(T0.AddHours(2));
        var window = new ExecRateWindow(time);
        Spawn(window, Key(10), T0.AddHours(2), 1);
        Spawn(window, Key(10), T0, 3);

        Assert.Equal(3, window.LateExecs);
        Assert.Equal(1, window.RateOf(Key(10), TimeSpan.FromHours(1))!.Count);
    }

    [Fact]
    public void Counts_child_programs_and_folds_the_rest_into_other()
    {
        var window = new ExecRateWindow(new FakeTimeProvider(T0), new ExecRateOptions { MaxChildExesPerParent = 2 });
        Spawn(window, Key(10), T0, 5, "/usr/bin/expr");
        Spawn(window, Key(10), T0, 2, "/usr/bin/sed");
        Spawn(window, Key(10), T0, 3, "/usr/bin/grep");

        var children = window.RateOf(Key(10), TimeSpan.FromMinutes(1))!.TopChildren;

        Assert.Equal(
            [new ChildExeCount("/usr/bin/expr", 5), new ChildExeCount("/usr/bin/sed", 2), new ChildExeCount(ExecRateWindow.OtherChildExes, 3)],
            children);
    }

    [Fact]
    public void Rejects_a_window_longer_than_the_horizon()
    {
        var window = new ExecRateWindow(new FakeTimeProvider(T0));
        Assert.Throws<ArgumentOutOfRangeException>(() => window.TopParents(TimeSpan.FromHours(2), 10));
    }
}
