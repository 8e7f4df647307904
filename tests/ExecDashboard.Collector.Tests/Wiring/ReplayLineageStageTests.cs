using ExecDashboard.Collector.Tests.Output;
using ExecDashboard.Collector.Wiring;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Collector.Tests.Wiring;

/// <summary>A replay's process table, fed execs the way a long audit log without exits does.</summary>
public sealed class ReplayLineageStageTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Memory_stays_bounded_however_many_processes_the_log_names()
    {
        await using var stage = new ReplayLineageStage("audit.log", maxProcesses: 1024);

        // A shell (pid 100) runs 50,000 short programs, each under its own PID.
        stage.Attach(Exec(100, 1, "/usr/bin/bash", T0));
        for (var i = 0; i < 50_000; i++)
        {
            stage.Attach(Exec(1000 + i, 100, "/usr/bin/expr", T0.AddMilliseconds(i + 1)));
        }

        // What it keeps: the processes seen most recently, plus the ended ones the table retains for late children.
        Assert.InRange(stage.TableSize, 1024, 1024 + 16_384);
        Assert.True(stage.Forgotten > 30_000);
    }

    [Fact]
    public async Task A_parent_that_keeps_having_children_keeps_its_ancestry_while_idle_processes_are_forgotten()
    {
        await using var stage = new ReplayLineageStage("audit.log", maxProcesses: 1024);
        stage.Attach(Exec(50, 1, "/usr/sbin/sshd", T0));
        stage.Attach(Exec(100, 50, "/usr/bin/bash", T0.AddMilliseconds(1)));

        // Far more children than the bound, each named after the shell; sshd is seen through every chain.
        ExecEvent last = null!;
        for (var i = 0; i < 100_000; i++)
        {
            last = stage.Attach(Exec(1000 + i, 100, "/usr/bin/expr", T0.AddMilliseconds(i + 2)));
        }

        Assert.Equal([100, 50, 1], last.Ancestry.Select(a => a.Pid));
        Assert.Equal(["/usr/bin/bash", "/usr/sbin/sshd"], last.Ancestry.Take(2).Select(a => a.Exe));
    }

    [Fact]
    public async Task A_reused_pid_is_a_new_process_even_right_after_its_predecessor_was_forgotten()
    {
        await using var stage = new ReplayLineageStage("audit.log", maxProcesses: 1024);
        var first = stage.Attach(Exec(7, 1, "/usr/bin/make", T0));
        for (var i = 0; i < 2000; i++)
        {
            stage.Attach(Exec(1000 + i, 1, "/usr/bin/true", T0.AddSeconds(10).AddMilliseconds(i)));
        }

        // PID 7 again, from another parent, within a second of the last exec: not the forgotten make.
        var again = stage.Attach(Exec(7, 1000, "/usr/bin/cc", T0.AddSeconds(12)));

        Assert.NotEqual(first.Process, again.Process);
        Assert.Equal(1000, again.Ancestry[0].Pid);
    }

    private static ExecObservation Exec(int pid, int ppid, string exe, DateTimeOffset time) =>
        SampleEvents.Expr.Build().Exec with { Pid = pid, Ppid = ppid, Exe = exe, Argv = [exe], Time = time };
}
