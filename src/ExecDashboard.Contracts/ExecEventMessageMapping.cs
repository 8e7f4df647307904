using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts;

/// <summary>The one conversion between the domain event and its public form, both ways, losslessly.</summary>
public static class ExecEventMessageMapping
{
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
    public static ExecEvent ToDomain(this ExecEventMessage m) => m.ToDomain(converted: null);

    /// <summary>
    /// Converts back, each ancestor message once: <paramref name="converted"/> (compared by
    /// reference) keeps what earlier events of the same batch shared, as a hub reader hands
    /// siblings one <see cref="AncestorMessage"/> instance.
    /// </summary>
    public static ExecEvent ToDomain(this ExecEventMessage m, Dictionary<AncestorMessage, Ancestor>? converted)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Argv is null || m.Ancestry is null || m.Process is null || m.Exe is null || m.Host is null)
        {
            throw new FormatException("A required field (argv, ancestry, process, exe or host) is missing.");
        }

        var ancestry = new Ancestor[m.Ancestry.Count];
        for (var i = 0; i < ancestry.Length; i++)
        {
            var a = m.Ancestry[i] ?? throw new FormatException($"Ancestor {i} is missing.");
            if (converted is not null && converted.TryGetValue(a, out var known))
            {
                ancestry[i] = known;
                continue;
            }

            ancestry[i] = new Ancestor
            {
                Key = ParseKey(a.Key, "ancestry key"),
                Pid = a.Pid,
                Exe = a.Exe ?? string.Empty,
                Argv = a.Argv ?? [],
                Provenance = Enum.IsDefined(a.Provenance)
                    ? a.Provenance
                    : throw new FormatException($"Provenance {(int)a.Provenance} is not known."),
            };
            converted?.Add(a, ancestry[i]);
        }

        return new ExecEvent
        {
            Exec = new ExecObservation
            {
                Time = DateTimeOffset.UnixEpoch.AddTicks(checked(m.TimeUnixMicros * TimeSpan.TicksPerMicrosecond)),
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
            Process = ParseKey(m.Process, "process"),
            Parent = string.IsNullOrEmpty(m.Parent) ? ProcessKey.None : ParseKey(m.Parent, "parent"),
            Ancestry = ancestry,
        };
    }

    private static ProcessKey ParseKey(string? text, string field) =>
        ProcessKey.TryParse(text, out var key) ? key
        : throw new FormatException($"'{field}' is '{Shorten(text ?? string.Empty)}', not a process key of the form boot/pid/start.");

    private static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
