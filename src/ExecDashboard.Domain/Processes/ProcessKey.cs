using System.Globalization;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// Identity of one process (not of one program image) that survives PID reuse.
/// </summary>
/// <remarks>
/// A PID alone is ambiguous: with the default <c>pid_max</c> of 32768 an exec storm recycles
/// PIDs within seconds. The kernel's own tie-breaker is the start time, so a key is
/// (boot, pid, start) where <see cref="StartTicks"/> is the process start time in clock ticks
/// since boot, the unit of field 22 of <c>/proc/PID/stat</c>. <see cref="Boot"/> is the first
/// eight hex digits of <c>/proc/sys/kernel/random/boot_id</c> for live sources, or a name for
/// the log a replay came from. See README "Process identity" for how each source fills it.
/// When the start cannot be read (the process ended before we looked, common for <c>expr</c>),
/// it is derived from the time we first heard of the process (its exec's audit time, or its
/// fork's connector time) on the same scale via <see cref="BootClock"/>: an upper bound of the
/// true start, kept for the process's whole life so its key never changes.
/// </remarks>
public readonly record struct ProcessKey(string Boot, int Pid, long StartTicks)
{
    /// <summary>The key of a process we know nothing about.</summary>
    public static readonly ProcessKey None = new(string.Empty, 0, 0);

    public bool IsNone => Pid == 0 && string.IsNullOrEmpty(Boot);

    /// <summary>Equal when all three parts are; the boot, nearly always the same, is compared last.</summary>
    public bool Equals(ProcessKey other) =>
        Pid == other.Pid && StartTicks == other.StartTicks && string.Equals(Boot, other.Boot, StringComparison.Ordinal);

    /// <summary>
    /// Hashes pid and start only: the keys one process table or batch holds nearly always share
    /// one boot, so hashing its text (36 characters for a replay's log name) spread nothing and
    /// was most of the cost of every process look-up (3.6% of a 300,000-exec import's CPU).
    /// </summary>
    public override int GetHashCode() => HashCode.Combine(Pid, StartTicks);

    /// <summary>Stable text form <c>boot/pid/start</c>, used in JSON, SQLite and URLs.</summary>
    /// <remarks>
    /// Every exec sent on writes five of these (its process, its parent, each ancestor), most of
    /// them written for the exec before too: they come from <see cref="RecentKeyTexts"/>. A key
    /// not there is formatted on the stack and concatenated once; the interpolated form rented a
    /// pooled buffer and copied through it, about 190 ns a key against 100 ns (microbenchmark).
    /// </remarks>
    public override string ToString() =>
        IsNone ? string.Empty : RecentKeyTexts.Of(Boot, Pid, StartTicks);

    public static bool TryParse(string? text, out ProcessKey key) => TryParse(text, knownBoot: null, out key);

    /// <summary>
    /// Parses like <see cref="TryParse(string?, out ProcessKey)"/>, but a boot equal to
    /// <paramref name="knownBoot"/> is that instance rather than a new string: the keys of one
    /// batch nearly always name one boot.
    /// </summary>
    public static bool TryParse(string? text, string? knownBoot, out ProcessKey key)
    {
        key = None;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var lastSlash = text.LastIndexOf('/');
        var midSlash = lastSlash > 0 ? text.LastIndexOf('/', lastSlash - 1) : -1;
        if (midSlash <= 0
            || !int.TryParse(text.AsSpan(midSlash + 1, lastSlash - midSlash - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(text.AsSpan(lastSlash + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var start))
        {
            return false;
        }

        var boot = knownBoot is not null && text.AsSpan(0, midSlash).SequenceEqual(knownBoot) ? knownBoot : text[..midSlash];
        key = new ProcessKey(boot, pid, start);
        return true;
    }

    public static ProcessKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a process key of the form boot/pid/start.");
}
