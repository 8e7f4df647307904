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

    [Fact]
    public void A_parent_under_a_chain_nearly_as_long_as_the_limit_keeps_its_chain_while_children_keep_coming()
    {
        // 60 shells deep under a limit of 64: each exec sees 62 processes, only 2 others fit.
        const int limit = 64;
        var lineage = new ReplayLineage("test.log", limit);
        for (var pid = 2; pid <= 61; pid++)
        {
            lineage.Attach(Exec(T0.AddMilliseconds(pid), pid, pid - 1, "/usr/bin/bash"));
        }

        for (var pid = 1_000; pid < 1_000 + (100 * limit); pid++)
        {
            var child = lineage.Attach(Exec(T0.AddSeconds(1).AddMilliseconds(10.0 * (pid - 1_000)), pid, 61, "/usr/bin/expr"));
            Assert.Equal(61, child.Ancestry.Count);
        }

        // Only children were pushed out (61 ancestors leave room for 3): every shell is still live.
        Assert.Equal(100 * limit - (limit - 61), lineage.Forgotten);
    }

    [Theory]
    [InlineData(1_900, true)]
    [InlineData(2_100, false)]
    public void A_parent_whose_children_stop_is_pushed_out_as_of_its_last_childs_exec(int reExecAfterMs, bool sameProcess)
    {
        var lineage = new ReplayLineage("test.log", Limit);
        var parent = lineage.Attach(Exec(T0, 100, 1, "/usr/bin/bash"));

        // Children 100 ms apart over 20 s, then another parent's children push it out within a second.
        var last = T0;
        for (var pid = 1_000; pid < 1_200; pid++)
        {
            last = T0.AddMilliseconds(100.0 * (pid - 999));
            lineage.Attach(Exec(last, pid, 100, "/usr/bin/expr"));
        }

        var other = lineage.Attach(Exec(last.AddMilliseconds(1), 200, 1, "/usr/bin/bash"));
        for (var pid = 2_000; pid < 2_000 + Limit; pid++)
        {
            lineage.Attach(Exec(last.AddMilliseconds(1 + ((pid - 1_999) / 2.0)), pid, 200, "/usr/bin/expr"));
        }

        // Ended when last seen: within the reorder window of that, an exec under its PID is its own.
        var again = lineage.Attach(Exec(last.AddMilliseconds(reExecAfterMs), 100, 1, "/usr/bin/sleep"));

        Assert.Equal(sameProcess, again.Process == parent.Process);
        Assert.NotEqual(other.Process, again.Process);
    }

    private static ExecObservation Exec(DateTimeOffset time, int pid, int ppid, string exe) =>
        ExecBuilder.Of(exe, exe).Pid(pid).Ppid(ppid).At(time).Host("test").Observation();
}
