using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>Copies of a valid wire event with chosen fields replaced, for refusal tests.</summary>
internal static class EventMessages
{
    public static ExecEventMessage With(
        ExecEventMessage m,
        string? comm = null,
        string? exe = null,
        IReadOnlyList<string>? argv = null,
        IReadOnlyList<byte[]>? argvBytes = null,
        int? pid = null,
        string? process = null,
        string? host = null,
        IReadOnlyList<AncestorMessage>? ancestry = null,
        long? timeUnixMicros = null,
        string? syscall = null) => new()
        {
            Time = new IsoTime(timeUnixMicros ?? m.TimeUnixMicros),
            Serial = m.Serial,
            Host = host ?? m.Host,
            Pid = pid ?? m.Pid,
            Ppid = m.Ppid,
            Uid = m.Uid,
            Auid = m.Auid,
            Comm = comm ?? m.Comm,
            Exe = exe ?? m.Exe,
            Argv = argv ?? m.Argv,
            ArgvBytes = argvBytes ?? m.ArgvBytes,
            ArgvTruncated = m.ArgvTruncated,
            Cwd = m.Cwd,
            Success = m.Success,
            Exit = m.Exit,
            Syscall = syscall ?? m.Syscall,
            Arch = m.Arch,
            Process = process ?? m.Process,
            Parent = m.Parent,
            Ancestry = ancestry ?? m.Ancestry,
        };
}
