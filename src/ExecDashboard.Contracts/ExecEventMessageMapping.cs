using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts;

/// <summary>The one conversion between the domain event and its public form, both ways, losslessly.</summary>
public static class ExecEventMessageMapping
{
    // What a refusal calls each key; CompactExecsReader refuses format 2 in the same words.
    internal const string ProcessField = "process";
    internal const string ParentField = "parent";
    internal const string AncestorKeyField = "ancestry key";

    public static ExecEventMessage ToMessage(this ExecEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var x = e.Exec;
        var ancestry = new AncestorMessage[e.Ancestry.Count];
        for (var i = 0; i < ancestry.Length; i++)
        {
            var a = e.Ancestry[i];
            ancestry[i] = new AncestorMessage
            {
                Key = a.Key.ToString(),
                Pid = a.Pid,
                Exe = a.Exe,
                Argv = a.Argv,
                Provenance = a.Provenance,
            };
        }

        return new ExecEventMessage
        {
            Time = new IsoTime((x.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond),
            Serial = x.Serial,
            Host = x.Host,
            Pid = x.Pid,
            Ppid = x.Ppid,
            Uid = x.Uid,
            Auid = x.Auid,
            Comm = x.Comm,
            Exe = x.Exe,
            Argv = x.Argv,
            ArgvBytes = x.ArgvBytes,
            ArgvTruncated = x.ArgvTruncated,
            Cwd = x.Cwd,
            Success = x.Success,
            Exit = x.Exit,
            Syscall = x.Syscall,
            Arch = x.Arch,
            Process = e.Process.ToString(),
            Parent = e.Parent.IsNone ? null : e.Parent.ToString(),
            Ancestry = ancestry,
        };
    }

    /// <summary>Converts back; throws <see cref="FormatException"/> on a message that breaks the contract.</summary>
    public static ExecEvent ToDomain(this ExecEventMessage m) => m.ToDomain(new ExecEventConversion());

    /// <summary>
    /// Converts back, sharing with the events converted before it what <paramref name="conversion"/>
    /// keeps (ancestors, ancestry lists, boot strings).
    /// </summary>
    public static ExecEvent ToDomain(this ExecEventMessage m, ExecEventConversion conversion)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(conversion);
        if (m.Argv is null || m.Ancestry is null || m.Process is null || m.Exe is null || m.Host is null)
        {
            throw MissingField();
        }

        // The process key first: an ancestor's or the parent's key then shares its boot.
        var process = conversion.Key(m.Process, ProcessField);
        var parent = string.IsNullOrEmpty(m.Parent) ? ProcessKey.None : conversion.Key(m.Parent, ParentField);
        var ancestry = conversion.SameAncestry(m.Ancestry) ?? Ancestry(m.Ancestry, conversion);

        return new ExecEvent
        {
            Exec = new ExecObservation
            {
                Time = Time(m.TimeUnixMicros),
                Serial = m.Serial,
                Host = m.Host,
                Pid = m.Pid,
                Ppid = m.Ppid,
                Uid = m.Uid,
                Auid = m.Auid,
                Comm = m.Comm,
                Exe = m.Exe,
                Argv = m.Argv,
                ArgvBytes = m.ArgvBytes,
                ArgvTruncated = m.ArgvTruncated,
                Cwd = m.Cwd,
                Success = m.Success,
                Exit = m.Exit,
                Syscall = m.Syscall,
                Arch = m.Arch,
            },
            Process = process,
            Parent = parent,
            Ancestry = ancestry,
        };
    }

    private static Ancestor[] Ancestry(IReadOnlyList<AncestorMessage> messages, ExecEventConversion conversion)
    {
        var ancestry = new Ancestor[messages.Count];
        for (var i = 0; i < ancestry.Length; i++)
        {
            var a = messages[i] ?? throw new FormatException($"Ancestor {i} is missing.");
            if (conversion.TryGetAncestor(a, out var known))
            {
                ancestry[i] = known;
                continue;
            }

            ancestry[i] = Ancestor(conversion.Key(a.Key, AncestorKeyField), a.Pid, a.Exe, a.Argv, a.Provenance);
            conversion.AddAncestor(a, ancestry[i]);
        }

        conversion.RememberAncestry(messages, ancestry);
        return ancestry;
    }

    internal static FormatException MissingField() => new("A required field (argv, ancestry, process, exe or host) is missing.");

    /// <summary>Throws <see cref="OverflowException"/> or <see cref="ArgumentOutOfRangeException"/> for a time no <see cref="DateTimeOffset"/> holds.</summary>
    internal static DateTimeOffset Time(long unixMicros) => DateTimeOffset.UnixEpoch.AddTicks(checked(unixMicros * TimeSpan.TicksPerMicrosecond));

    /// <summary>An ancestor whose key is converted already; throws <see cref="FormatException"/> for an unknown provenance.</summary>
    internal static Ancestor Ancestor(ProcessKey key, int pid, string? exe, IReadOnlyList<string>? argv, Provenance provenance) => new()
    {
        Key = key,
        Pid = pid,
        Exe = exe ?? string.Empty,
        Argv = argv ?? [],
        Provenance = Enum.IsDefined(provenance)
            ? provenance
            : throw new FormatException($"Provenance {(int)provenance} is not known."),
    };
}
