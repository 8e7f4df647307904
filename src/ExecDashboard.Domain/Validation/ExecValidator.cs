using System.Diagnostics.CodeAnalysis;
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
public static partial class ExecValidator
{
    /// <summary>Throws <see cref="ExecValidationException"/> naming the first field that breaks the limits.</summary>
    public static void Validate(ExecEvent? e) => Validate(e, checkedAncestors: null);

    /// <summary>
    /// As <see cref="Validate(ExecEvent?)"/>, but an ancestor already in
    /// <paramref name="checkedAncestors"/> (compared by reference) is not checked again, and each
    /// one checked is added. Siblings of one batch share their ancestor objects, so a batch of
    /// 2,048 deep execs checks each shared link once instead of once per exec.
    /// </summary>
    public static void Validate(ExecEvent? e, HashSet<Ancestor>? checkedAncestors) => Validate(e, checkedAncestors, previous: null);

    /// <summary>
    /// As <see cref="Validate(ExecEvent?, HashSet{Ancestor}?)"/> for the next exec of a batch:
    /// fields that are the very instances <paramref name="validated"/> holds from the exec before
    /// (its texts, boot and ancestors) are not checked again, and this exec's are remembered once
    /// it passes. The same refusals, in the same order: a field skipped passed the same checks.
    /// </summary>
    /// <remarks>
    /// A batch's validation was 0.27 µs of thread CPU per exec of a 300,000-exec sendmail replay
    /// (the benchmarks' <c>ingest</c> command, batches of 2,048), and is 0.18 µs with this
    /// (medians of 16 rounds each, builds alternating): per exec, one reference comparison
    /// per text and per ancestor instead of a scan of each text and a hashed look-up per ancestor.
    /// </remarks>
    public static void Validate(ExecEvent? e, ValidatedExecs validated)
    {
        ArgumentNullException.ThrowIfNull(validated);
        Validate(e, validated.Ancestors, validated);
    }

    private static void Validate(ExecEvent? e, HashSet<Ancestor>? checkedAncestors, ValidatedExecs? previous)
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

        var last = previous?.Exec;
        if (!Passed(x.Host, last?.Host))
        {
            Text(x.Host, new("host"), ExecLimits.MaxHostChars);
        }

        Pid(x.Pid, new("pid"), allowZero: false);
        Pid(x.Ppid, new("ppid"), allowZero: true);
        if (!Passed(x.Comm, last?.Comm))
        {
            Text(x.Comm, new("comm"), ExecLimits.MaxCommChars);
        }

        if (!Passed(x.Exe, last?.Exe))
        {
            Text(x.Exe, new("exe"), ExecLimits.MaxPathChars);
        }

        if (!Passed(x.Cwd, last?.Cwd))
        {
            Text(x.Cwd, new("cwd"), ExecLimits.MaxPathChars);
        }

        if (!Passed(x.Syscall, last?.Syscall))
        {
            Syscall(x.Syscall);
        }

        if (!Passed(x.Arch, last?.Arch))
        {
            Arch(x.Arch);
        }

        Arguments(x.Argv, new("argv"));
        ArgumentBytes(x.Argv, x.ArgvBytes);
        // The keys of one event nearly always share one boot string (and so do a batch's
        // events): its text is checked once.
        var checkedBoot = previous?.Boot;
        Key(e.Process, new("process"), allowNone: false, ref checkedBoot);
        if (e.Process.Pid != x.Pid)
        {
            throw new ExecValidationException("process", $"names PID {e.Process.Pid}, but the exec's pid is {x.Pid}.");
        }

        Key(e.Parent, new("parent"), allowNone: true, ref checkedBoot);
        var ancestry = e.Ancestry ?? throw new ExecValidationException("ancestry", "is null.");
        if (previous is not null && previous.IsLastAncestry(ancestry))
        {
            // The previous exec's ancestors, each checked already: a sibling's.
            previous.Passed(x, checkedBoot, ancestry);
            return;
        }

        if (ancestry.Count > ExecLimits.MaxAncestry)
        {
            throw new ExecValidationException("ancestry", $"has {ancestry.Count} links, more than the limit of {ExecLimits.MaxAncestry}.");
        }

        for (var i = 0; i < ancestry.Count; i++)
        {
            var link = new Field("ancestry", i);
            var a = ancestry[i] ?? throw Refuse(link, "is null.");
            if (checkedAncestors is not null && checkedAncestors.Contains(a))
            {
                continue;
            }

            Key(a.Key, link with { Member = "key" }, allowNone: false, ref checkedBoot);
            Pid(a.Pid, link with { Member = "pid" }, allowZero: false);
            Text(a.Exe, link with { Member = "exe" }, ExecLimits.MaxPathChars);
            Arguments(a.Argv, link with { Member = "argv" });
            Provenance(a.Provenance, link with { Member = "provenance" });
            checkedAncestors?.Add(a);
        }

        previous?.Passed(x, checkedBoot, ancestry);
    }

    /// <summary>Same rules for a process listed in a session document.</summary>
    public static void Validate(SessionProcess? p)
    {
        if (p is null)
        {
            throw new ExecValidationException("process", "is null.");
        }

        Key(p.Key, new("key"), allowNone: false);
        Pid(p.Pid, new("pid"), allowZero: false);
        Pid(p.Ppid, new("ppid"), allowZero: true);
        Text(p.Exe, new("exe"), ExecLimits.MaxPathChars);
        Arguments(p.Argv, new("argv"));
        Provenance(p.Provenance, new("provenance"));
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

        Text(g.Host, new("host"), ExecLimits.MaxHostChars);
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

        Text(h.Id, new("session.id"), ExecLimits.MaxHostChars);
        Text(h.Name, new("session.name"), ExecLimits.MaxSessionNameChars);
        Text(h.Host, new("session.host"), ExecLimits.MaxHostChars);
    }

    /// <summary>True when <paramref name="text"/> is the instance <paramref name="checkedBefore"/>, which passed this field's checks.</summary>
    private static bool Passed(string? text, string? checkedBefore) => text is not null && ReferenceEquals(text, checkedBefore);

    private static void Syscall(string? syscall)
    {
        Text(syscall, new("syscall"), ExecLimits.MaxArchChars);
        if (syscall is not ("execve" or "execveat") && !ExecLimits.Syscalls.Contains(syscall!))
        {
            throw new ExecValidationException("syscall", $"is '{Shorten(syscall!)}', not execve or execveat.");
        }
    }

    private static void Arch(string? arch)
    {
        Text(arch, new("arch"), ExecLimits.MaxArchChars);
        foreach (var c in arch!)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                throw new ExecValidationException("arch", $"is '{Shorten(arch)}'; an ABI name has only letters, digits and '_'.");
            }
        }
    }

    private static void Arguments(IReadOnlyList<string>? argv, Field field)
    {
        if (argv is null)
        {
            throw Refuse(field, "is null.");
        }

        if (argv.Count > ExecLimits.MaxArguments)
        {
            throw Refuse(field, $"has {argv.Count} arguments, more than the limit of {ExecLimits.MaxArguments}.");
        }

        if (argv is string[] array && WithinByteLimitsByLength(array, field))
        {
            return;
        }

        long total = 0;
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            Text(arg, field.Item(i), int.MaxValue);
            var bytes = Encoding.UTF8.GetByteCount(arg!);
            if (bytes > ExecLimits.MaxArgumentBytes)
            {
                throw Refuse(field.Item(i), $"has {bytes} bytes, more than the limit of {ExecLimits.MaxArgumentBytes}.");
            }

            total += bytes;
            if (total > ExecLimits.MaxArgvBytes)
            {
                throw Refuse(field, $"holds more than the limit of {ExecLimits.MaxArgvBytes} bytes in all.");
            }
        }
    }

    /// <summary>
    /// Checks each argument's text and returns true when the byte limits cannot be broken: UTF-8
    /// takes at most three bytes per UTF-16 character, so while three times the characters stays
    /// within both limits no argument needs its bytes counted. False as soon as that bound no longer
    /// proves it; the exact check then runs from the start, so a refusal says what it always said.
    /// </summary>
    private static bool WithinByteLimitsByLength(string[] argv, Field field)
    {
        long bound = 0;
        for (var i = 0; i < argv.Length; i++)
        {
            var arg = argv[i];
            Text(arg, field.Item(i), int.MaxValue);
            var most = 3L * arg.Length;
            bound += most;
            if (most > ExecLimits.MaxArgumentBytes || bound > ExecLimits.MaxArgvBytes)
            {
                return false;
            }
        }

        return true;
    }

    private static void ArgumentBytes(IReadOnlyList<string> argv, IReadOnlyList<byte[]>? argvBytes)
    {
        if (argvBytes is null)
        {
            return;
        }

        var field = new Field("argvBytes");
        if (argvBytes.Count != argv.Count)
        {
            throw Refuse(field, $"has {argvBytes.Count} entries but 'argv' has {argv.Count}.");
        }

        for (var i = 0; i < argvBytes.Count; i++)
        {
            var bytes = argvBytes[i] ?? throw Refuse(field.Item(i), "is null.");
            if (bytes.Length > ExecLimits.MaxArgumentBytes)
            {
                throw Refuse(field.Item(i), $"has {bytes.Length} bytes, more than the limit of {ExecLimits.MaxArgumentBytes}.");
            }

            // argv[i] is the text shown for these bytes (invalid UTF-8 as U+FFFD); anything else
            // would show one argument and export another.
            if (!string.Equals(Encoding.UTF8.GetString(bytes), argv[i], StringComparison.Ordinal))
            {
                throw Refuse(field.Item(i), "does not decode to 'argv' at the same index.");
            }
        }
    }

    private static void Key(ProcessKey key, Field field, bool allowNone)
    {
        string? checkedBoot = null;
        Key(key, field, allowNone, ref checkedBoot);
    }

    /// <summary>As <see cref="Key(ProcessKey, Field, bool)"/>; a boot that is <paramref name="checkedBoot"/> (the same string) passed already.</summary>
    private static void Key(ProcessKey key, Field field, bool allowNone, ref string? checkedBoot)
    {
        if (key.IsNone)
        {
            if (!allowNone)
            {
                throw Refuse(field, "is empty; a process key has the form boot/pid/start.");
            }

            return;
        }

        // A null boot is never "the boot checked already", even before any boot was checked.
        var boot = key.Boot;
        if (boot is null || !ReferenceEquals(boot, checkedBoot))
        {
            Text(boot, field.Leaf("boot"), ExecLimits.MaxBootChars);
            if (boot.Length == 0 || boot.Contains('/', StringComparison.Ordinal) || HasControl(boot))
            {
                throw Refuse(field, "has an empty boot part, or one with '/' or control characters.");
            }

            checkedBoot = boot;
        }

        Pid(key.Pid, field.Leaf("pid"), allowZero: false);
        if (key.StartTicks < 0)
        {
            throw Refuse(field.Leaf("start"), $"is {key.StartTicks}, below 0.");
        }
    }

    private static void Pid(int pid, Field field, bool allowZero)
    {
        if (pid < (allowZero ? 0 : 1) || pid > ExecLimits.MaxPid)
        {
            throw Refuse(field, $"is {pid}, outside {(allowZero ? 0 : 1)} to {ExecLimits.MaxPid}.");
        }
    }

    private static void Provenance(Provenance provenance, Field field)
    {
        if (provenance is not (Processes.Provenance.ExecSeen or Processes.Provenance.ProcSnapshot or Processes.Provenance.Inferred)
            && !Enum.IsDefined(provenance))
        {
            throw Refuse(field, $"is {(int)provenance}, not a known provenance.");
        }
    }

    /// <summary>Present, at most <paramref name="maxChars"/> long, no NUL, no unpaired surrogate.</summary>
    private static void Text([NotNull] string? text, Field field, int maxChars)
    {
        if (text is null)
        {
            throw Refuse(field, "is null.");
        }

        if (text.Length > maxChars)
        {
            throw Refuse(field, $"has {text.Length} characters, more than the limit of {maxChars}.");
        }

        // Nearly every text has neither NUL nor anything at or above the surrogates: one search
        // proves it; anything else gets the exact checks below, in their order.
        if (text.AsSpan().IndexOfAnyExceptInRange('\u0001', '\uD7FF') < 0)
        {
            return;
        }

        // NUL ends a C string: no kernel field can hold one, and SQLite tools cut text at it.
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw Refuse(field, "contains a NUL character.");
        }

        var span = text.AsSpan();
        var surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (surrogate >= 0)
        {
            if (!char.IsHighSurrogate(span[surrogate]) || surrogate + 1 >= span.Length || !char.IsLowSurrogate(span[surrogate + 1]))
            {
                throw Refuse(field, "contains an unpaired UTF-16 surrogate, which no UTF-8 text can hold.");
            }

            span = span[(surrogate + 2)..];
            surrogate = span.IndexOfAnyInRange('\uD800', '\uDFFF');
        }
    }

    private static bool HasControl(string text) =>
        text.AsSpan().IndexOfAnyInRange('\u0000', '\u001F') >= 0 || text.AsSpan().IndexOfAnyInRange('\u007F', '\u009F') >= 0;

    private static ExecValidationException Refuse(Field field, string problem) => new(field.ToString(), problem);

    private static string Shorten(string text) => text.Length <= 32 ? text : string.Concat(text.AsSpan(0, 32), "…");

    /// <summary>
    /// Where a value sits (<c>ancestry[2].argv[0]</c>, <c>process.boot</c>), kept in parts and
    /// joined only for a refusal: the valid path, taken by every event, builds no strings.
    /// </summary>
    private readonly record struct Field(string Path, int Index = -1, string? Member = null, int ItemIndex = -1, string? LeafName = null)
    {
        /// <summary>Element <paramref name="index"/> of this list (of the member's list when there is a member).</summary>
        public Field Item(int index) => Index < 0 && Member is null ? this with { Index = index } : this with { ItemIndex = index };

        /// <summary>A part of this value, such as the <c>boot</c> of a key.</summary>
        public Field Leaf(string name) => this with { LeafName = name };

        public override string ToString()
        {
            var text = new StringBuilder(Path);
            if (Index >= 0)
            {
                text.Append('[').Append(Index).Append(']');
            }

            if (Member is not null)
            {
                text.Append('.').Append(Member);
            }

            if (ItemIndex >= 0)
            {
                text.Append('[').Append(ItemIndex).Append(']');
            }

            if (LeafName is not null)
            {
                text.Append('.').Append(LeafName);
            }

            return text.ToString();
        }
    }
}
