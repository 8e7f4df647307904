using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Proc;

namespace ExecDashboard.Kernel.Tests.Proc;

public sealed class ProcExitParsingTests
{
    [Fact]
    public void An_exit_carries_the_leaders_wait_status_and_a_threads_exit_is_ignored()
    {
        var leader = ProcConnectorMessage.Parse(ExitMessage(pid: 300, tgid: 300, exitCode: (3 << 8), exitSignal: 17));
        var killed = ProcConnectorMessage.Parse(ExitMessage(pid: 301, tgid: 301, exitCode: 11 | 0x80, exitSignal: 17));
        var thread = ProcConnectorMessage.Parse(ExitMessage(pid: 302, tgid: 300, exitCode: 0, exitSignal: -1));

        Assert.Equal(ProcConnectorMessageKind.Exit, leader.Kind);
        Assert.Equal(300, leader.Pid);
        Assert.Equal(3, ExitStatus.FromWaitStatus(leader.ExitCode).Code);
        Assert.Equal(ExitStatus.Killed(11, coreDumped: true), ExitStatus.FromWaitStatus(killed.ExitCode));
        Assert.Equal(ProcConnectorMessageKind.Ignored, thread.Kind);
    }

    // nlmsghdr (16) + cn_msg (20), proc_event: what, cpu, timestamp_ns, then the exit fields.
    private static byte[] ExitMessage(int pid, int tgid, int exitCode, int exitSignal)
    {
        var message = new byte[36 + 16 + 24];
        BitConverter.TryWriteBytes(message.AsSpan(36), 0x80000000u);
        BitConverter.TryWriteBytes(message.AsSpan(44), 987654321ul);
        BitConverter.TryWriteBytes(message.AsSpan(52), pid);
        BitConverter.TryWriteBytes(message.AsSpan(56), tgid);
        BitConverter.TryWriteBytes(message.AsSpan(60), exitCode);
        BitConverter.TryWriteBytes(message.AsSpan(64), exitSignal);
        return message;
    }
}
