using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Audit.Mapping;

/// <summary>
/// Turns a complete execve/execveat event into an <see cref="ExecObservation"/>; every other event
/// maps to null. An event needs its SYSCALL record: EXECVE records alone (seen in filtered logs)
/// carry no pid, parent, user or result, so they cannot be placed in a process tree; they are
/// counted in <see cref="ExecveWithoutSyscall"/> and dropped.
/// </summary>
public sealed class ExecObservationMapper(string hostName)
{
    private readonly string _hostName = hostName;
    private readonly RepeatedFieldText _exe = new("exe");
    private readonly RepeatedFieldText _comm = new("comm");
    private readonly RepeatedFieldText _cwd = new("cwd");
    private readonly AuditField[] _syscallScratch = SyscallFields.NewScratch();
    private readonly ArgvAssembler _argv = new();

    /// <summary>Events that had EXECVE records but no SYSCALL record.</summary>
    public long ExecveWithoutSyscall { get; private set; }

    /// <summary>SYSCALL records with an <c>arch=</c> this mapper does not know.</summary>
    public long UnknownArch { get; private set; }

    public ExecObservation? Map(AuditEvent ev)
    {
        ArgumentNullException.ThrowIfNull(ev);
        var syscall = ev.Find(AuditRecordTypes.Syscall);
        if (syscall is null)
        {
            if (ev.Find(AuditRecordTypes.Execve) is not null)
            {
                ExecveWithoutSyscall++;
            }

            return null;
        }

        var fields = SyscallFields.Read(syscall, _syscallScratch);
        if (!fields.TryGetArch(out var arch) || !fields.TryGetSyscall(out var number))
        {
            return null;
        }

        if (!AuditArch.TryDescribe((uint)arch, out var archName, out var execve, out var execveat))
        {
            UnknownArch++;
            return null;
        }

        string syscallName;
        if (number == (ulong)execve)
        {
            syscallName = "execve";
        }
        else if (number == (ulong)execveat)
        {
            syscallName = "execveat";
        }
        else
        {
            return null;
        }

        var success = !fields.SuccessText.SequenceEqual("no"u8);
        var (argv, exact, truncated) = success ? _argv.Collect(ev) : ([], null, false);

        return new ExecObservation
        {
            Time = ev.Time.ToDateTimeOffset(),
            Serial = ev.Serial,
            Host = ev.Node ?? _hostName,
            Pid = AsInt(fields.TryGetPid(out var pid), pid),
            Ppid = AsInt(fields.TryGetPpid(out var ppid), ppid),
            Uid = AsId(fields.TryGetUid(out var uid), uid),
            Auid = AsId(fields.TryGetAuid(out var auid), auid),
            Comm = (fields.TryGetComm(out var comm) ? _comm.Read(syscall, comm) : null) ?? string.Empty,
            Exe = success ? (fields.TryGetExe(out var exe) ? _exe.Read(syscall, exe) : null) ?? string.Empty : AttemptedPath(ev),
            Argv = argv,
            ArgvBytes = exact,
            ArgvTruncated = truncated,
            Cwd = ev.Find(AuditRecordTypes.Cwd) is { } cwd ? _cwd.Read(cwd) ?? string.Empty : string.Empty,
            Success = success,
            Exit = fields.TryGetExit(out var exit) ? exit : 0,
            Syscall = syscallName,
            Arch = archName,
        };
    }

    /// <summary>
    /// A failed exec keeps the caller's image, so SYSCALL's <c>exe=</c> names the caller. The path it
    /// tried is the first PATH item (item=0), when the kernel got that far.
    /// </summary>
    private static string AttemptedPath(AuditEvent ev)
    {
        foreach (var record in ev.Records)
        {
            if (record.Type == AuditRecordTypes.Path && record.GetValue("item"u8).SequenceEqual("0"u8))
            {
                return record.GetUntrustedString("name"u8) ?? string.Empty;
            }
        }

        return string.Empty;
    }

    private static int AsInt(bool read, ulong value) => read && value <= int.MaxValue ? (int)value : -1;

    /// <summary>Ids are unsigned 32-bit; "unset" (-1) is written as 4294967295.</summary>
    private static uint AsId(bool read, ulong value) => read && value <= uint.MaxValue ? (uint)value : uint.MaxValue;
}
