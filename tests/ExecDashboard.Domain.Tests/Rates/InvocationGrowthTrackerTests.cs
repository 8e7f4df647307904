using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Domain.Tests.Support;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class InvocationGrowthTrackerTests
{
    [Fact]
    public void Series_has_one_point_per_parent_process_in_start_order()
    {
        var tracker = new InvocationGrowthTracker();
        foreach (var exec in SendmailLoop.Events(10, 20, 30))
        {
            tracker.Record(exec);
        }

        var series = tracker.SeriesOf(SendmailLoop.Sendmail(2))!;

        Assert.Equal(new ProgramSignature("/usr/bin/bash", "/bin/bash /usr/sbin/sendmail -t"), series.Program);
        Assert.Equal([10L, 20, 30], series.Points.Select(p => p.ChildExecs));
        Assert.Equal([SendmailLoop.Sendmail(0), SendmailLoop.Sendmail(1), SendmailLoop.Sendmail(2)], series.Points.Select(p => p.Parent));
        Assert.Equal(GrowthVerdict.Growing, series.Growth.Verdict);
        Assert.Equal(series.Program, Assert.Single(tracker.Growing()).Program);
    }

    [Fact]
    public void A_run_that_spawns_nothing_counts_as_zero_once_the_program_is_known()
    {
        var tracker = new InvocationGrowthTracker();
        foreach (var exec in SendmailLoop.Events(5, 0, 7))
        {
            tracker.Record(exec);
        }

        Assert.Equal([5L, 0, 7], tracker.SeriesOf(SendmailLoop.Sendmail(0))!.Points.Select(p => p.ChildExecs));
    }

    [Fact]
    public void Numeric_arguments_do_not_split_a_program()
    {
        Assert.Equal(ProgramSignature.Of("/bin/worker", ["worker", "--id", "17"]), ProgramSignature.Of("/bin/worker", ["worker", "--id", "4242"]));
        Assert.NotEqual(ProgramSignature.Of("/bin/worker", ["worker", "a"]), ProgramSignature.Of("/bin/worker", ["worker", "b"]));
    }

    [Fact]
    public void Keeps_only_the_newest_invocations_of_a_program()
    {
        var tracker = new InvocationGrowthTracker(maxPrograms: 4, maxInvocationsPerProgram: 2);
        foreach (var exec in SendmailLoop.Events(1, 2, 3))
        {
            tracker.Record(exec);
        }

        var series = tracker.SeriesOf(SendmailLoop.Sendmail(2))!;
        Assert.Equal([2L, 3], series.Points.Select(p => p.ChildExecs));
        Assert.Equal(1, series.DroppedInvocations);
        Assert.Null(tracker.SeriesOf(SendmailLoop.Sendmail(0)));
    }

    [Fact]
    public void Skips_parents_known_only_by_pid()
    {
        var tracker = new InvocationGrowthTracker();
        var inferred = new Ancestor { Key = Key(44), Pid = 44, Exe = string.Empty, Argv = [], Provenance = Provenance.Inferred };
        tracker.Record(Exec(Key(45), [inferred], T0, "/usr/bin/true", ["true"]));

        Assert.Null(tracker.SeriesOf(Key(44)));
    }
}
