using ExecDashboard.Collector.Tests.Output;
using ExecDashboard.Collector.Wiring;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Collector.Tests.Wiring;

/// <summary>Real process table; the connector's events arrive ahead of the audit records, as they do on a live kernel.</summary>
public sealed class LifecycleOrderingTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly ProcessTable _table = new(new BootClock("0a1b2c3d", T0.AddHours(-1)));
    private readonly FakeTimeProvider _time = new(T0);
    private readonly LifecycleOrdering _ordering;

    public LifecycleOrderingTests()
    {
        _ordering = new LifecycleOrdering(_table, _time);
        _table.Seed(
        [
            new ProcessSnapshotEntry { Pid = 1, Ppid = 0, StartTicks = 1, Comm = "systemd", Exe = "/usr/lib/systemd/systemd", Argv = ["/sbin/init"] },
            new ProcessSnapshotEntry { Pid = 100, Ppid = 1, StartTicks = 50, Comm = "bash", Exe = "/usr/bin/bash", Argv = ["bash", "script.sh"] },
        ]);
    }

    [Fact]
    public void A_childs_fork_read_before_its_parents_exec_still_shows_the_parents_new_image()
    {
        // bash(100) forks 200, which execs dash and forks 201, which execs true. Both forks are read first.
        _ordering.Add(ProcessLifecycleEvent.Fork(100, 200, T0));
        _ordering.Add(ProcessLifecycleEvent.Fork(200, 201, T0.AddMilliseconds(2)));

        Attach(Exec(200, 100, "/usr/bin/dash", T0.AddMilliseconds(1)));
        var child = Attach(Exec(201, 200, "/usr/bin/true", T0.AddMilliseconds(3)));

        Assert.Equal(["/usr/bin/dash", "/usr/bin/bash", "/usr/lib/systemd/systemd"], child.Ancestry.Select(a => a.Exe));
        Assert.Equal([200, 100, 1], child.Ancestry.Select(a => a.Pid));
        Assert.Equal(0, _ordering.HeldCount);
    }

    [Fact]
    public void A_child_of_a_subshell_that_never_execs_links_through_the_subshell()
    {
        _ordering.Add(ProcessLifecycleEvent.Fork(100, 300, T0));
        _ordering.Add(ProcessLifecycleEvent.Fork(300, 301, T0.AddMilliseconds(1)));

        var child = Attach(Exec(301, 300, "/usr/bin/true", T0.AddMilliseconds(2)));

        Assert.Equal([300, 100, 1], child.Ancestry.Select(a => a.Pid));
        Assert.Equal("/usr/bin/bash", child.Ancestry[0].Exe); // the subshell is still bash
    }

    [Fact]
    public void An_exit_that_overtook_its_exec_is_applied_after_the_exec()
    {
        _ordering.Add(ProcessLifecycleEvent.Fork(100, 400, T0));
        _ordering.Add(ProcessLifecycleEvent.Exit(400, T0.AddMilliseconds(2)));

        var exec = Attach(Exec(400, 100, "/usr/bin/true", T0.AddMilliseconds(1)));

        Assert.Equal(100, exec.Parent.Pid);
        Assert.False(_table.IsKnown(400));
    }

    [Fact]
    public void A_fork_that_never_execs_is_applied_once_the_process_has_been_gone_for_the_hold_limit()
    {
        _ordering.Add(ProcessLifecycleEvent.Fork(100, 500, T0));
        Assert.False(_table.IsKnown(500));

        _ordering.Add(ProcessLifecycleEvent.Exit(500, T0.AddMilliseconds(1)));
        _time.Advance(LifecycleOrdering.HoldLimit);
        Attach(Exec(100, 1, "/usr/bin/bash", T0.AddMilliseconds(5)));

        Assert.Equal(0, _ordering.HeldCount);
        Assert.False(_table.IsKnown(500));
    }

    [Fact]
    public void An_exec_of_a_reused_pid_does_not_take_the_held_fork_of_the_process_that_had_it_before()
    {
        // 600 forked at tick 1000 and ended without an exec; the PID was reused by a process
        // started at tick 1500 whose fork event has not been read yet when its exec arrives.
        _ordering.Add(ProcessLifecycleEvent.Fork(100, 600, T0, startTicks: 1000));
        _ordering.Add(ProcessLifecycleEvent.Exit(600, T0.AddMilliseconds(1)));

        var exec = Attach(Exec(600, 100, "/usr/bin/true", T0.AddSeconds(5)), startTicks: 1500);

        Assert.Equal(1500, exec.Process.StartTicks);
        Assert.True(_table.IsKnown(600)); // the new process is alive; only the old one's exit was applied
        Assert.Equal(0, _ordering.HeldCount);
    }

    [Fact]
    public void Holds_no_more_than_its_limit_of_forks()
    {
        for (var pid = 1000; pid < 1000 + LifecycleOrdering.MaxHeld + 10; pid++)
        {
            _ordering.Add(ProcessLifecycleEvent.Fork(100, pid, T0));
        }

        Assert.Equal(LifecycleOrdering.MaxHeld, _ordering.HeldCount);
        Assert.True(_table.IsKnown(1000));
    }

    private static ExecObservation Exec(int pid, int ppid, string exe, DateTimeOffset time) =>
        SampleEvents.Expr.Build().Exec with { Pid = pid, Ppid = ppid, Exe = exe, Argv = [exe], Time = time };

    private ExecEvent Attach(ExecObservation exec, long? startTicks = null)
    {
        _ordering.BeforeExec(exec.Pid, startTicks);
        var attached = _table.Attach(exec, startTicks);
        _ordering.AfterExec();
        return attached;
    }
}
