using ExecDashboard.Domain.Rates;
using ExecDashboard.Domain.Tests.Support;
using ExecDashboard.Domain.Trees;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Domain.Tests.Rates;

/// <summary>
/// The motivating case end to end through the domain: a caller runs the sendmail script three
/// times with a growing queue (10, 20, 30); each run execs <c>expr $n + 1</c> per item.
/// </summary>
public sealed class SendmailLoopScenarioTests
{
    [Fact]
    public void Rates_storm_growth_and_tree_all_point_at_the_sendmail_script()
    {
        var events = SendmailLoop.Events(10, 20, 30);
        var time = new FakeTimeProvider(events[^1].Exec.Time);
        var window = new ExecRateWindow(time);
        var storms = new ExecStormDetector(window, time, new ExecStormOptions { Threshold = 1.5, Window = TimeSpan.FromSeconds(10) });
        var growth = new ProgramTracker(time);
        var alerts = new List<StormAlert>();
        foreach (var exec in events)
        {
            window.Record(exec);
            growth.Record(exec);
            if (storms.Check(exec) is { } alert)
            {
                alerts.Add(alert);
            }
        }

        // Rates: the third sendmail run (30 execs in 1.5 s) is the busiest parent over a minute.
        var top = window.TopParents(TimeSpan.FromMinutes(1), 3);
        Assert.Equal(SendmailLoop.Sendmail(2), top[0].Parent);
        Assert.Equal(["/bin/bash", "/usr/sbin/sendmail", "-t"], top[0].Argv);
        Assert.Equal([SendmailLoop.Sendmail(2), SendmailLoop.Sendmail(1), SendmailLoop.Sendmail(0)], top.Select(r => r.Parent));

        // Storm: each run passes 1.5 execs/s over 10 s once it has spawned 15; the 10-item run never does.
        Assert.Equal([SendmailLoop.Sendmail(1), SendmailLoop.Sendmail(2)], alerts.Select(a => a.Parent));
        Assert.Equal("/usr/bin/expr", alerts[0].TopChildren[0].Exe);

        // Children per invocation: 10, 20, 30 and growing.
        var series = growth.SeriesOf(SendmailLoop.Sendmail(0))!;
        Assert.Equal([10L, 20, 30], series.Points.Select(p => p.ChildExecs));
        Assert.Equal(GrowthVerdict.Growing, series.Growth.Verdict);

        // Tree: each run collapses its expr children.
        Assert.Equal(
            ["bash(1200)[/usr/sbin/sendmail -t]", "expr ×30 [N + 1]"],
            DescendantTreeBuilder.Build(events, SendmailLoop.Sendmail(2)).Nodes.Select(n => n.Label));
    }
}
