using ExecDashboard.Domain.Processes;
using static ExecDashboard.Domain.Tests.Processes.Execs;

namespace ExecDashboard.Domain.Tests.Processes;

public sealed class ProcessEndTests
{
    [Theory]
    [InlineData(0x0000, 0, null, false)]
    [InlineData(0x0300, 3, null, false)]
    [InlineData(0xff00, 255, null, false)]
    [InlineData(0x0009, null, 9, false)]
    [InlineData(0x008b, null, 11, true)]
    public void Decodes_the_kernel_wait_status(int status, int? code, int? signal, bool core)
    {
        var decoded = ExitStatus.FromWaitStatus(status);

        Assert.Equal(code, decoded.Code);
        Assert.Equal(signal, decoded.Signal);
        Assert.Equal(core, decoded.CoreDumped);
        Assert.Equal(status != 0, decoded.Failed);
    }

    [Fact]
    public void Says_how_it_ended_in_words()
    {
        Assert.Equal("code 3", ExitStatus.Exited(3).ToString());
        Assert.Equal("signal 9 (SIGKILL)", ExitStatus.Killed(9).ToString());
        Assert.Equal("signal 11 (SIGSEGV, core dumped)", ExitStatus.Killed(11, coreDumped: true).ToString());
        Assert.Equal("signal 40", ExitStatus.Killed(40).ToString());
    }

    [Fact]
    public void Reports_the_end_of_an_exec_seen_process_once_with_its_status_and_duration()
    {
        var ends = new List<ProcessEnd>();
        var table = new ProcessTable(Clock, ended: ends.Add);
        table.Seed([Snap(8024, 1, 5000, "/usr/bin/bash", "bash")]);
        var forked = Clock.ToTime(6000);
        table.Apply(ProcessLifecycleEvent.Fork(8024, 12828, forked, startTicks: 6000));
        var exec = table.Attach(At(forked.AddMilliseconds(5), 12828, 8024, "/usr/bin/sh", "sh", "-c", "exit 3"), startTicks: null);

        table.Apply(ProcessLifecycleEvent.Exit(12828, forked.AddSeconds(1.5), ExitStatus.FromWaitStatus(3 << 8)));
        table.Apply(ProcessLifecycleEvent.Exit(12828, forked.AddSeconds(1.6), ExitStatus.FromWaitStatus(0)));

        var end = Assert.Single(ends);
        Assert.Equal(exec.Process, end.Process);
        Assert.Equal(3, end.Status.Code);
        Assert.Equal(TimeSpan.FromSeconds(1.5), end.Duration);
    }

    [Fact]
    public void Reports_the_end_of_a_snapshot_process_but_not_of_a_fork_that_never_execd()
    {
        var ends = new List<ProcessEnd>();
        var table = new ProcessTable(Clock, ended: ends.Add);
        table.Seed([Snap(8024, 1, 5000, "/usr/bin/bash", "bash")]);
        var time = Clock.ToTime(6000);
        table.Apply(ProcessLifecycleEvent.Fork(8024, 9000, time, startTicks: 6000));

        table.Apply(ProcessLifecycleEvent.Exit(9000, time.AddSeconds(1), ExitStatus.Exited(0)));
        table.Apply(ProcessLifecycleEvent.Exit(8024, time.AddSeconds(2), ExitStatus.Killed(15)));

        var end = Assert.Single(ends);
        Assert.Equal(new ProcessKey(Clock.Boot, 8024, 5000), end.Process);
        Assert.Equal(15, end.Status.Signal);
    }

    [Fact]
    public void Reports_an_end_that_overtook_its_exec_once_the_exec_arrives()
    {
        var ends = new List<ProcessEnd>();
        var table = new ProcessTable(Clock, ended: ends.Add);
        table.Seed([Snap(8024, 1, 5000, "/usr/bin/bash", "bash")]);
        var time = Clock.ToTime(6000);
        table.Apply(ProcessLifecycleEvent.Fork(8024, 9000, time, startTicks: 6000));
        table.Apply(ProcessLifecycleEvent.Exit(9000, time.AddMilliseconds(20), ExitStatus.Exited(1)));
        Assert.Empty(ends);

        var exec = table.Attach(At(time.AddMilliseconds(10), 9000, 8024, "/usr/bin/expr", "expr", "1", "+", "1"), startTicks: null);

        var end = Assert.Single(ends);
        Assert.Equal(exec.Process, end.Process);
        Assert.Equal(1, end.Status.Code);
    }
}
