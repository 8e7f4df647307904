using ExecDashboard.Sources.Proc;

namespace ExecDashboard.Kernel.Tests.Proc;

public sealed class ProcParsingTests
{
    [Fact]
    public void Stat_comm_with_spaces_and_parentheses_is_read_up_to_the_last_parenthesis()
    {
        var line = "4242 (a) b (c) S 17 4242 17 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 2000000 100 18446744073709551615\n"u8;

        Assert.True(ProcStatLine.TryParse(line, out var stat));

        Assert.Equal("a) b (c", stat.Comm);
        Assert.Equal(17, stat.Ppid);
        Assert.Equal(987654, stat.StartTicks);
    }

    [Fact]
    public void Truncated_stat_line_is_rejected()
    {
        Assert.False(ProcStatLine.TryParse("4242 (sh) S 17 4242 17 0"u8, out _));
        Assert.False(ProcStatLine.TryParse("4242 sh S"u8, out _));
    }

    [Fact]
    public void Cmdline_splits_on_nul_keeps_empty_arguments_and_replaces_bad_utf8()
    {
        byte[] cmdline = [.. "sh\0-c\0\0x"u8, 0xff, 0];

        var argv = ProcSnapshotReader.SplitCmdline(cmdline);

        Assert.Equal(["sh", "-c", string.Empty, "x\uFFFD"], argv);
        Assert.Empty(ProcSnapshotReader.SplitCmdline([]));
    }

    [Fact]
    public void Connector_fork_of_a_thread_is_ignored_and_of_a_process_is_kept()
    {
        var process = ProcConnectorMessage.Parse(ForkMessage(parentTgid: 100, childPid: 200, childTgid: 200));
        var thread = ProcConnectorMessage.Parse(ForkMessage(parentTgid: 100, childPid: 201, childTgid: 200));

        Assert.Equal(new ProcConnectorMessage(ProcConnectorMessageKind.Fork, 123456789, 200, 100, 0), process);
        Assert.Equal(ProcConnectorMessageKind.Ignored, thread.Kind);
        Assert.Equal(ProcConnectorMessageKind.Malformed, ProcConnectorMessage.Parse(new byte[20]).Kind);
    }

    private static byte[] ForkMessage(int parentTgid, int childPid, int childTgid)
    {
        var message = new byte[36 + 16 + 16];
        BitConverter.TryWriteBytes(message.AsSpan(36), 1u);
        BitConverter.TryWriteBytes(message.AsSpan(44), 123456789ul);
        BitConverter.TryWriteBytes(message.AsSpan(52), parentTgid + 1);
        BitConverter.TryWriteBytes(message.AsSpan(56), parentTgid);
        BitConverter.TryWriteBytes(message.AsSpan(60), childPid);
        BitConverter.TryWriteBytes(message.AsSpan(64), childTgid);
        return message;
    }
}
