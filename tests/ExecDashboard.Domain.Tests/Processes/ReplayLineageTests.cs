using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Domain.Tests.Processes;

/// <summary>
/// A raw log's lineage keeps a bounded number of processes alive: the least recently active one
/// ends first, and a parent that keeps having children is never the one.
/// </summary>
public sealed class ReplayLineageTests
{
    private const int Limit = 1_000;
    private static readonly DateTimeOffset T0 = ExecBuilder.DefaultTime;

    [Fact]
    public void A_parent_whose_children_keep_coming_keeps_one_key_through_ten_times_the_limit()
    {
        var lineage = new ReplayLineage("test.log", Limit);
        var parent = lineage.Attach(Exec(T0, 100, 1, "/usr/bin/bash"));

        // Ten times the limit of one-shot children, as a sendmail run's expr storm, over far longer
        // than an ended process is kept: had the parent been ended, late children would infer a new one.
        for (var pid = 1_000; pid < 11_000; pid++)
        {
            var child = lineage.Attach(Exec(T0.AddMilliseconds(100.0 * (pid - 1_000)), pid, 100, "/usr/bin/expr"));
            Assert.Equal(parent.Process, child.Parent);
        }
    }

    [Fact]
    public void A_process_ended_for_being_idle_still_parents_a_late_child_within_the_retention()
    {
        var lineage = new ReplayLineage("test.log", Limit);
        var idle = lineage.Attach(Exec(T0, 50, 1, "/usr/sbin/crond"));
        for (var pid = 1_000; pid < 1_000 + (3 * Limit); pid++)
        {
            lineage.Attach(Exec(T0.AddMilliseconds(pid), pid, 100, "/usr/bin/expr"));
        }

        var late = lineage.Attach(Exec(T0.AddSeconds(30), 9_000, 50, "/usr/bin/run-parts"));

        Assert.Equal(idle.Process, late.Parent);
        Assert.Equal("/usr/sbin/crond", late.Ancestry[0].Exe);
    }

    private static ExecObservation Exec(DateTimeOffset time, int pid, int ppid, string exe) =>
        ExecBuilder.Of(exe, exe).Pid(pid).Ppid(ppid).At(time).Host("test").Observation();
}
