using ExecDashboard.Domain.Rates;
using ExecDashboard.Domain.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class ProgramStormDetectorTests
{
    [Fact]
    public void A_storm_of_many_runs_of_one_program_is_one_alert_naming_the_program()
    {
        // 10, 20, 30 exprs 50 ms apart: each run alone passes 1.5/s over 10 s, the program once.
        var events = SendmailLoop.Events(10, 20, 30);
        var time = new FakeTimeProvider(T0);
        var tracker = new ProgramTracker(time);
        var detector = new ProgramStormDetector(tracker, new ExecStormOptions { Threshold = 1.5 });
        var alerts = new List<ProgramRate>();
        foreach (var exec in events)
        {
            time.SetUtcNow(exec.Exec.Time);
            tracker.Record(exec);
            if (detector.Check(exec.Parent) is { } alert)
            {
                alerts.Add(alert);
            }
        }

        var storm = Assert.Single(alerts);
        Assert.Equal("bash /usr/sbin/sendmail -t", storm.Label);
        Assert.Equal("/usr/bin/expr", storm.TopChildren[0].Exe);
    }

    [Fact]
    public void A_program_alerts_again_only_after_calming_below_the_rearm_level()
    {
        var time = new FakeTimeProvider(T0);
        var tracker = new ProgramTracker(time);
        var detector = new ProgramStormDetector(tracker, new ExecStormOptions { Threshold = 1 });
        var alerts = 0;
        foreach (var exec in SendmailLoop.Events(20).Concat(Later(SendmailLoop.Events(20), TimeSpan.FromMinutes(1))))
        {
            time.SetUtcNow(exec.Exec.Time);
            tracker.Record(exec);
            alerts += detector.Check(exec.Parent) is null ? 0 : 1;
        }

        Assert.Equal(2, alerts);
    }

    private static IEnumerable<Domain.Events.ExecEvent> Later(IEnumerable<Domain.Events.ExecEvent> events, TimeSpan by) =>
        events.Select(e => e with { Exec = e.Exec with { Time = e.Exec.Time + by } });
}
