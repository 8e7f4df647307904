using System.Text;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Domain.Validation;

/// <summary>
/// The one check every exec passes before it is stored, whichever way it came in: every string
/// present, free of NUL and unpaired surrogates and within <see cref="ExecLimits"/>; numbers in
/// range; keys well formed; <c>argvBytes</c> the exact bytes of <c>argv</c>. Callers add where the
/// item sat (batch event i, events[i] of a file) to the message.
/// </summary>
/// <remarks>
/// Nullable annotations are not enforced at run time: MessagePack and JSON readers fill a
/// <c>string</c> member or a list element with null when the sender wrote null, so every
/// reference is checked here rather than trusted.
/// </remarks>
public static class ExecValidator
{
    /// <summary>Throws <see cref="ExecValidationException"/> naming the first field that breaks the limits.</summary>
    public static void Validate(ExecEvent? e)
    {
        if (e is null)
        {
            throw new ExecValidationException("event", "is null.");
        }

        var x = e.Exec ?? throw new ExecValidationException("event", "has no exec.");
        if (x.Time < ExecLimits.EarliestTime || x.Time > ExecLimits.LatestTime)
        {
            throw new ExecValidationException("time", $"is {x.Time:O}, outside 1970 to 9999.");
        }

        Text(x.Host, "host", ExecLimits.MaxHostChars);
        Pid(x.Pid, "pid", allowZero: false);
        Pid(x.Ppid, "ppid", allowZero: true);
        Text(x.Comm, "comm", ExecLimits.MaxCommChars);
        Text(x.Exe, "exe", ExecLimits.MaxPathChars);
        Text(x.Cwd, "cwd", ExecLimits.MaxPathChars);
        Text(x.Syscall, "syscall", ExecLimits.MaxArchChars);
        if (!ExecLimits.Syscalls.Contains(x.Syscall))
        {
            throw new ExecValidationException("syscall", $"is '{Shorten(x.Syscall)}', not execve or execveat.");
        }

        Arch(x.Arch);
        Arguments(x.Argv, "argv");
        ArgumentBytes(x.Argv, x.ArgvBytes);
        Key(e.Process, "process", allowNone: false);
        if (e.Process.Pid != x.Pid)
        {
            throw new ExecValidationException("process", $"names PID {e.Process.Pid}, but the exec's pid is {x.Pid}.");
        }

        Key(e.Parent, "parent", allowNone: true);
        var ancestry = e.Ancestry ?? throw new ExecValidationException("ancestry", "is null.");
        if (ancestry.Count > ExecLimits.MaxAncestry)
        {
            throw new ExecValidationException("ancestry", $"has {ancestry.Count} links, more than the limit of {ExecLimits.MaxAncestry}.");
        }

        for (var i = 0; i < ancestry.Count; i++)
        {
            var a = ancestry[i] ?? throw new ExecValidationException($"ancestry[{i}]", "is null.");
            Key(a.Key, $"ancestry[{i}].key", allowNone: false);
            Pid(a.Pid, $"ancestry[{i}].pid", allowZero: false);
            Text(a.Exe, $"ancestry[{i}].exe", ExecLimits.MaxPathChars);
            Arguments(a.Argv, $"ancestry[{i}].argv");
            Provenance(a.Provenance, $"ancestry[{i}].provenance");
        }
    }

    /// <summary>Same rules for a process listed in a session document.</summary>
    public static void Validate(SessionProcess? p)
    {
        if (p is null)
        {
            throw new ExecValidationException("process", "is null.");
        }

        Key(p.Key, "key", allowNone: false);
        Pid(p.Pid, "pid", allowZero: false);
        Pid(p.Ppid, "ppid", allowZero: true);
        Text(p.Exe, "exe", ExecLimits.MaxPathChars);
        Arguments(p.Argv, "argv");
        Provenance(p.Provenance, "provenance");
        if (p.FirstSeen < ExecLimits.EarliestTime || p.LastSeen > ExecLimits.LatestTime || p.LastSeen < p.FirstSeen)
        {
            throw new ExecValidationException("lastSeen", "must not be before 'firstSeen', and both must lie between 1970 and 9999.");
        }
    }

    /// <summary>Same rules for a gap listed in a session document.</summary>
    public static void Validate(SessionGap? g)
    {
        if (g is null)
        {
            throw new ExecValidationException("gap", "is null.");
        }

        Text(g.Host, "host", ExecLimits.MaxHostChars);
        if (g.Count < 0)
        {
            throw new ExecValidationException("count", $"is {g.Count}, below 0.");
        }

        if (!Enum.IsDefined(g.Kind))
        {
            throw new ExecValidationException("kind", $"is {(int)g.Kind}, not a known kind.");
        }
    }

    /// <summary>Same rules for a session's header (names are shown on every page).</summary>
    public static void Validate(SessionHeader? h)
    {
        if (h is null)
        {
            throw new ExecValidationException("session", "is null.");
        }

        Text(h.Id, "session.id", ExecLimits.MaxHostChars);
        Text(h.Name, "session.name", ExecLimits.MaxSessionNameChars);
        Text(h.Host, "session.host", ExecLimits.MaxHostChars);
    }

    private static void Arch(string? arch)
    {
        Text(arch, "arch", ExecLimits.MaxArchChars);
        foreach (var c in arch!)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                throw new ExecValidationException("arch", $"is '{Shorten(arch)}'; an ABI name has only letters, digits and '_'.");
            }
        }
    }

    private static void Arguments(IReadOnlyList<string>? argv, string field)
    {
        if (argv is null)
        {
            throw new ExecValidationException(field, "is null.");
        }

        if (argv.Count > ExecLimits.MaxArguments)
        {
            throw new ExecValidationException(field, $"has {argv.Count} arguments, more than the limit of {ExecLimits.MaxArguments}.");
        }

        long total = 0;
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            Text(arg, $"{field}[{i}]", int.MaxValue);
            var bytes = Encoding.UTF8.GetByteCount(arg!);
            if (bytes > ExecLimits.MaxArgumentBytes)
            {
                throw new ExecValidationException($"{field}[{i}]", $"has {bytes} bytes, more than the limit of {ExecLimits.MaxArgumentBytes}.");
            }

            total += bytes;
            if (total > ExecLimits.MaxArgvBytes)
            {
                throw new ExecValidationException(field, $"holds more than the limit of {ExecLimits.MaxArgvBytes} bytes in all.");
            }
        }
    }

    private static void ArgumentBytes(IReadOnlyList<string> argv, IReadOnlyList<byte[]>? argvBytes)
    {
        if (argvBytes is null)
        {
            return;
        }

        if (argvBytes.Count != argv.Count)
        {
            throw new ExecValidationException("argvBytes", $"has {argvBytes.Count} entries but 'argv' has {argv.Count}.");
        }

        for (var i = 0; i < argvBytes.Count; i++)
        {
            var bytes = argvBytes[i] ?? throw new ExecValidationException($"argvBytes[{i}]", "is null.");
            if (bytes.Length > ExecLimits.MaxArgumentBytes)
            {
                throw new ExecValidationException($"argvBytes[{i}]", $"has {bytes.Length} bytes, more than the limit of {ExecLimits.MaxArgumentBytes}.");
            }

            // argv[i] is the text shown for these bytes (invalid UTF-8 as U+FFFD); anything else
            // would show one argument and export another.
            if (!string.Equals(Encoding.UTF8.GetString(bytes), argv[i], StringComparison.Ordinal))
            {
                throw new ExecValidationException($"argvBytes[{i}]", "does not decode to 'argv' at the same index.");
            }
        }
    }

    private static void Key(ProcessKey key, string field, bool allowNone)
    {
        if (key.IsNone)
        {
            if (!allowNone)
            {
                throw new ExecValidationException(field, "is empty; a process key has the form boot/pid/start.");
            }

            return;
        }

        Text(key.Boot, $"{field}.boot", ExecLimits.MaxBootChars);
        if (key.Boot.Length == 0 || key.Boot.Contains('/', StringComparison.Ordinal) || key.Boot.Any(char.IsControl))
        {
            throw new ExecValidationException(field, "has an empty boot part, or one with '/' or control characters.");
        }

        Pid(key.Pid, $"{field}.pid", allowZero: false);
        if (key.StartTicks < 0)
        {
            throw new ExecValidationException($"{field}.start", $"is {key.StartTicks}, below 0.");
        }
    }

    private static void Pid(int pid, string field, bool allowZero)
    {
        if (pid < (allowZero ? 0 : 1) || pid > ExecLimits.MaxPid)
        {
            throw new ExecValidationException(field, $"is {pid}, outside {(allowZero ? 0 : 1)} to {ExecLimits.MaxPid}.");
        }
    }

    private static void Provenance(Provenance provenance, string field)
    {
        if (!Enum.IsDefined(provenance))
        {
            throw new ExecValidationException(field, $"is {(int)provenance}, not a known provenance.");
        }
    }

    /// <summary>Present, at most <paramref name="maxChars"/> long, no NUL, no unpaired surrogate.</summary>
    private static void Text(string? text, string field, int maxChars)
    {
        if (text is null)
        {
            throw new ExecValidationException(field, "is null.");
        }

        if (text.Length > maxChars)
        {
            throw new ExecValidationException(field, $"has {text.Length} characters, more than the limit of {maxChars}.");
        }

        // NUL ends a C string: no kernel field can hold one, and SQLite tools cut text at it.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new ExecValidationException(field, "contains a NUL character.");
        }

        var span = text.AsSpan();
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (surrogate >= 0)
        {
            if (!char.IsHighSurrogate(span[surrogate]) || surrogate + 1 >= span.Length || !char.IsLowSurrogate(span[surrogate + 1]))
            {
                throw new ExecValidationException(field, "contains an unpaired UTF-16 surrogate, which no UTF-8 text can hold.");
            }

            span = span[(surrogate + 2)..];
            surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        }
    }

    private static string Shorten(string text) => text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 32), "…");
}
