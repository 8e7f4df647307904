using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using Microsoft.Extensions.Time.Testing;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class ExecStormDetectorTests
{
    private static readonly Ancestor Parent = Ancestor(Key(10), "/usr/bin/bash", "bash", "loop.sh");

    private static ExecEvent Child(DateTimeOffset time) => Exec(Key(777), [Parent], time, "/usr/bin/expr", ["expr", "1", "+", "1"]);

    private static List<StormAlert> Feed(ExecRateWindow window, ExecStormDetector detector, DateTimeOffset from, int seconds, int perSecond)
    {
        var alerts = new List<StormAlert>();
        for (var s = 0; s < seconds; s++)
        {
            for (var i = 0; i < perSecond; i++)
            {
                var exec = Child(from.AddSeconds(s));
                window.Record(exec);
                if (detector.Check(exec) is { } alert)
                {
                    alerts.Add(alert);
                }
            }
        }

        return alerts;
    }

    [Fact]
    public void Alerts_once_when_a_parent_passes_the_threshold_naming_what_it_spawns()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time);
        var detector = new ExecStormDetector(window, time, new ExecStormOptions { Threshold = 20, Window = TimeSpan.FromSeconds(10) });

        var alerts = Feed(window, detector, T0, 10, 30);

        var alert = Assert.Single(alerts);
        Assert.Equal(Key(10), alert.Parent);
        Assert.Equal(["bash", "loop.sh"], alert.Argv);
        Assert.Equal([new ChildExeCount("/usr/bin/expr", 200)], alert.TopChildren);
        Assert.True(alert.PerSecond >= 20);
        Assert.Equal(Key(10), Assert.Single(detector.ActiveStorms()).Parent);
    }

    [Fact]
    public void Stays_quiet_below_the_threshold()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time);
        var detector = new ExecStormDetector(window, time, new ExecStormOptions { Threshold = 20 });

        Assert.Empty(Feed(window, detector, T0, 30, 19));
        Assert.Empty(detector.ActiveStorms());
    }

    [Fact]
    public void Rearms_after_the_rate_falls_below_the_rearm_level_and_alerts_on_the_next_storm()
    {
        var time = new FakeTimeProvider(T0);
        var window = new ExecRateWindow(time);
        var detector = new ExecStormDetector(window, time, new ExecStormOptions { Threshold = 20 });
        Assert.Single(Feed(window, detector, T0, 10, 30));

        time.SetUtcNow(T0.AddMinutes(1));
        Assert.Empty(detector.ActiveStorms());

        Assert.Single(Feed(window, detector, T0.AddMinutes(2), 10, 30));
    }
}
