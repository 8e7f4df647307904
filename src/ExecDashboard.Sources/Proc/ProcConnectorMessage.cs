using System.Buffers.Binary;

namespace ExecDashboard.Sources.Proc;

/// <summary>What one proc connector event says, decoded from its netlink datagram.</summary>
/// <param name="ExitCode">For an exit: the wait status (<c>task_struct.exit_code</c>), see <see cref="Domain.Processes.ExitStatus"/>.</param>
internal readonly record struct ProcConnectorMessage(ProcConnectorMessageKind Kind, ulong TimestampNs, int Pid, int ParentPid, uint AckError, int ExitCode = 0)
{
    // include/uapi/linux/cn_proc.h: enum what
    private const uint ProcEventNone = 0x0;
    private const uint ProcEventFork = 0x1;
    private const uint ProcEventExit = 0x80000000;

    // nlmsghdr (16) + cn_msg (20), then struct proc_event: what@0, cpu@4, timestamp_ns@8
    // (aligned(8)), event_data@16. fork: parent_pid, parent_tgid, child_pid, child_tgid.
    // exit: process_pid, process_tgid, exit_code, exit_signal, parent_pid, parent_tgid.
    private const int NlmsgHeader = 16;
    private const int CnMsgHeader = 20;
    private const int EventOffset = NlmsgHeader + CnMsgHeader;
    private const int DataOffset = EventOffset + 16;

    /// <summary>
    /// Decodes one netlink message. Only thread-group leaders matter: a fork whose child is a
    /// thread (child_pid != child_tgid) or the exit of a non-leader thread is reported as
    /// <see cref="ProcConnectorMessageKind.Ignored"/>.
    /// </summary>
    public static ProcConnectorMessage Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < DataOffset + 4)
        {
            return new(ProcConnectorMessageKind.Malformed, 0, 0, 0, 0);
        }

        var what = BinaryPrimitives.ReadUInt32LittleEndian(message[EventOffset..]);
        var timestamp = BinaryPrimitives.ReadUInt64LittleEndian(message[(EventOffset + 8)..]);
        var data = message[DataOffset..];
        switch (what)
        {
            case ProcEventNone:
                return new(ProcConnectorMessageKind.Ack, timestamp, 0, 0, BinaryPrimitives.ReadUInt32LittleEndian(data));
            case ProcEventFork when data.Length >= 16:
                var childPid = Field(data, 2);
                var childTgid = Field(data, 3);
                return childPid == childTgid
                    ? new(ProcConnectorMessageKind.Fork, timestamp, childTgid, Field(data, 1), 0) // parent_tgid: a thread may fork
                    : new(ProcConnectorMessageKind.Ignored, timestamp, 0, 0, 0);
            case ProcEventExit when data.Length >= 12:
                var pid = Field(data, 0);
                var tgid = Field(data, 1);

                // Every thread's exit is reported; the leader's (pid == tgid) ends the process, and
                // its exit_code is the group's status (do_group_exit sets it for every thread).
                // exit_signal (field 3) is the signal the parent is sent (SIGCHLD), not how it ended.
                return pid == tgid
                    ? new(ProcConnectorMessageKind.Exit, timestamp, tgid, 0, 0, Field(data, 2))
                    : new(ProcConnectorMessageKind.Ignored, timestamp, 0, 0, 0);
            case ProcEventFork or ProcEventExit:
                return new(ProcConnectorMessageKind.Malformed, timestamp, 0, 0, 0);
            default:
                return new(ProcConnectorMessageKind.Ignored, timestamp, 0, 0, 0);
        }
    }

    private static int Field(ReadOnlySpan<byte> data, int index) => BinaryPrimitives.ReadInt32LittleEndian(data[(index * 4)..]);
}

internal enum ProcConnectorMessageKind
{
    Ignored,
    Malformed,
    Ack,
    Fork,
    Exit,
}
