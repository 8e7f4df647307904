using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Domain.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using ExecDashboard.TestSupport.Execs;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class ProgramTrackerTests
{
    private static readonly ProgramSignature Sendmail = new("/usr/bin/bash", "/bin/bash /usr/sbin/sendmail -t");

    [Fact]
    public void Series_has_one_point_per_parent_process_in_start_order()
    {
        var tracker = Track(SendmailLoop.Events(10, 20, 30));

        var series = tracker.SeriesOf(SendmailLoop.Sendmail(2))!;

        Assert.Equal(Sendmail, series.Program);
        Assert.Equal([10L, 20, 30], series.Points.Select(p => p.ChildExecs));
        Assert.Equal([SendmailLoop.Sendmail(0), SendmailLoop.Sendmail(1), SendmailLoop.Sendmail(2)], series.Points.Select(p => p.Parent));
        Assert.Equal(GrowthVerdict.Growing, series.Growth.Verdict);
        Assert.Equal(series.Program, Assert.Single(tracker.Growing()).Program);
    }

    [Fact]
    public void A_program_is_told_as_one_thing_runs_children_chain_and_what_it_spawns()
    {
        var events = SendmailLoop.Events(10, 20, 30);
        var tracker = Track(events);

        var programs = tracker.TopPrograms(new TimeRange(T0, events[^1].Exec.Time), 5);

        var sendmail = programs[0];
        Assert.Equal(Sendmail, sendmail.Program);
        Assert.Equal("bash /usr/sbin/sendmail -t", sendmail.Label);
        Assert.Equal(3, sendmail.Runs);
        Assert.Equal(60, sendmail.Children);
        Assert.Equal(60, sendmail.Execs);
        Assert.Equal([10L, 20, 30], sendmail.ChildrenPerRun.Select(r => r.ChildExecs));
        Assert.Equal(new ChainCount("systemd → esmtp-wrapper → bash /usr/sbin/sendmail -t", 3), Assert.Single(sendmail.Chains));
        Assert.Equal(new ChildExeCount("/usr/bin/expr", 60), Assert.Single(sendmail.TopChildren));
        // A run is first seen with its first child: the bash exec itself came before the program was known.
        Assert.Equal(T0.AddMilliseconds(50), sendmail.FirstRun);
        Assert.Equal(GrowthVerdict.Growing, sendmail.Growth.Verdict);

        // The caller started three bash runs: one run of its own program, three children.
        var wrapper = Assert.Single(programs, p => p.Program.Exe == "/usr/bin/esmtp-wrapper");
        Assert.Equal((1L, 3L), (wrapper.Runs, wrapper.Children));
        Assert.Equal(2, programs.Count);
    }

    [Fact]
    public void Counts_only_execs_within_the_range_and_charts_them_per_bucket()
    {
        var events = SendmailLoop.Events(10, 20, 30);
        var tracker = Track(events);

        // Whole seconds 0 and 1: run one (0.05-0.5 s), run two (0.6-1.55 s), 7 of run three (1.65 s onwards).
        var early = new TimeRange(T0, T0.AddSeconds(1));
        Assert.Equal(10 + 20 + 7, tracker.RateOf(Sendmail, early)!.Execs);

        var points = tracker.SeriesOf(Sendmail, new TimeRange(T0, T0.AddSeconds(3)), TimeSpan.FromSeconds(2));
        Assert.Equal([T0, T0.AddSeconds(2)], points.Select(p => p.Start));
        Assert.Equal(60, points.Sum(p => p.Count));
    }

    [Fact]
    public void A_run_that_spawns_nothing_counts_as_zero_once_the_program_is_known()
    {
        var tracker = Track(SendmailLoop.Events(5, 0, 7));

        Assert.Equal([5L, 0, 7], tracker.SeriesOf(SendmailLoop.Sendmail(0))!.Points.Select(p => p.ChildExecs));
    }

    [Fact]
    public void Numeric_arguments_do_not_split_a_program()
    {
        Assert.Equal(ProgramSignature.Of("/bin/worker", ["worker", "--id", "17"]), ProgramSignature.Of("/bin/worker", ["worker", "--id", "4242"]));
        Assert.NotEqual(ProgramSignature.Of("/bin/worker", ["worker", "a"]), ProgramSignature.Of("/bin/worker", ["worker", "b"]));
        Assert.Equal("worker --id N", ProgramSignature.LabelOf("/bin/worker", ["./worker", "--id", "17"]));
    }

    [Fact]
    public void Keeps_only_the_newest_runs_but_counts_the_dropped_ones()
    {
        var tracker = new ProgramTracker(new FakeTimeProvider(T0), new ProgramTrackerOptions { MaxRunsPerProgram = 2 });
        foreach (var exec in SendmailLoop.Events(1, 2, 3))
        {
            tracker.Record(exec);
        }

        var series = tracker.SeriesOf(SendmailLoop.Sendmail(2))!;
        Assert.Equal([2L, 3], series.Points.Select(p => p.ChildExecs));
        Assert.Equal(1, series.DroppedInvocations);
        Assert.Null(tracker.SeriesOf(SendmailLoop.Sendmail(0)));
        var rate = tracker.RateOf(Sendmail, new TimeRange(T0, T0.AddMinutes(1)))!;
        Assert.Equal((3L, 6L), (rate.Runs, rate.Children));
    }

    [Fact]
    public void Evicts_the_least_recently_active_program_beyond_the_limit()
    {
        var tracker = new ProgramTracker(new FakeTimeProvider(T0), new ProgramTrackerOptions { MaxPrograms = 2 });
        var init = Ancestor(SendmailLoop.Init, "/usr/lib/systemd/systemd");
        for (var i = 0; i < 3; i++)
        {
            var parent = Ancestor(Key(100 + i), $"/bin/p{i}", $"p{i}");
            tracker.Record(Exec(Key(200 + i), [parent, init], T0.AddSeconds(i), "/bin/true", ["true"]));
        }

        Assert.Null(tracker.SeriesOf(Key(100)));
        Assert.NotNull(tracker.SeriesOf(Key(102)));
        Assert.Equal(2, tracker.TopPrograms(new TimeRange(T0, T0.AddMinutes(1)), 10).Count);
    }

    [Fact]
    public void Skips_parents_known_only_by_pid()
    {
        var tracker = new ProgramTracker(new FakeTimeProvider(T0));
        var inferred = Ancestors.Inferred(Key(44));
        tracker.Record(Exec(Key(45), [inferred], T0, "/usr/bin/true", ["true"]));

        Assert.Null(tracker.SeriesOf(Key(44)));
    }

    [Fact]
    public void Hundreds_of_runs_of_one_program_are_one_growing_quadratic_program()
    {
        var tracker = new ProgramTracker(new FakeTimeProvider(T0));
        var init = Ancestor(SendmailLoop.Init, "/usr/lib/systemd/systemd");
        var sudoArgv = new[] { "sudo", "true" };
        var time = T0;
        var pid = 10_000;
        for (var n = 1; n <= 300; n++)
        {
            var sudo = Ancestor(Key(pid++), "/usr/bin/sudo", sudoArgv);
            var bash = Ancestor(Key(pid++), "/usr/bin/bash", SendmailLoop.SendmailArgv);
            tracker.Record(Exec(bash.Key, [sudo, init], time, bash.Exe, SendmailLoop.SendmailArgv));
            for (var i = 0; i < n; i++)
            {
                time = time.AddMilliseconds(1);
                tracker.Record(Exec(Key(pid++), [bash, sudo, init], time, "/usr/bin/expr", ["expr", "1", "+", "1"]));
            }
        }

        var top = tracker.TopPrograms(new TimeRange(T0, time), 3)[0];
        Assert.Equal(Sendmail, top.Program);
        Assert.Equal((300L, 300L * 301 / 2), (top.Runs, top.Children));
        Assert.Equal("systemd → sudo → bash /usr/sbin/sendmail -t", top.Chains[0].Chain);
        Assert.Equal(GrowthVerdict.Growing, top.Growth.Verdict);
        Assert.InRange(top.Growth.Exponent, 1.8, 2.2);
    }

    [Fact]
    public void A_copy_answers_as_the_tracker_did_and_records_apart_from_it()
    {
        var events = SendmailLoop.Events(10, 20, 30, 40);
        var original = Track(events.Take(45));
        var copy = original.Clone();

        // The rest goes to the copy only; a tracker given every event is what the copy must match.
        foreach (var exec in events.Skip(45))
        {
            copy.Record(exec);
        }

        var whole = Track(events);
        var range = new TimeRange(T0, events[^1].Exec.Time);
        Assert.Equal(Told(whole, range), Told(copy, range));
        Assert.NotEqual(Told(whole, range), Told(original, range));
        Assert.Equal(Told(Track(events.Take(45)), range), Told(original, range));
    }

    /// <summary>What the tracker says about its programs and runs, as text to compare.</summary>
    private static string Told(ProgramTracker tracker, TimeRange range) =>
        System.Text.Json.JsonSerializer.Serialize(new
        {
            Programs = tracker.TopPrograms(range, 10),
            Runs = Enumerable.Range(0, 4).Select(run => tracker.SeriesOf(SendmailLoop.Sendmail(run))),
            Storm = tracker.CountOf(SendmailLoop.Sendmail(3), ProgramTrackerOptions.StormWindow),
            tracker.Recorded,
        });

    private static ProgramTracker Track(IEnumerable<Domain.Events.ExecEvent> events)
    {
        var tracker = new ProgramTracker(new FakeTimeProvider(T0));
        foreach (var exec in events)
        {
            tracker.Record(exec);
        }

        return tracker;
    }
}
