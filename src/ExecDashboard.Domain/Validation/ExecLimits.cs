namespace ExecDashboard.Domain.Validation;

/// <summary>
/// What an exec may hold to be stored: the same limits for every way in (collector batches,
/// session imports, raw audit-log imports). The README's security section lists them.
/// </summary>
public static class ExecLimits
{
    /// <summary>Host names: a DNS name is at most 253 characters (RFC 1035), audit <c>node=</c> no longer.</summary>
    public const int MaxHostChars = 255;

    /// <summary>
    /// <c>comm</c>: the kernel keeps 16 bytes (TASK_COMM_LEN, include/linux/sched.h); escaped
    /// control bytes can take four characters each, hence 64.
    /// </summary>
    public const int MaxCommChars = 64;

    /// <summary><c>exe</c> and <c>cwd</c>: PATH_MAX (include/uapi/linux/limits.h).</summary>
    public const int MaxPathChars = 4096;

    /// <summary>
    /// One argument, in UTF-8 bytes: MAX_ARG_STRLEN, 32 pages of 4 KiB (include/uapi/linux/binfmts.h).
    /// </summary>
    public const int MaxArgumentBytes = 32 * 4096;

    /// <summary>Arguments of one exec (or of one ancestor).</summary>
    public const int MaxArguments = 65_536;

    /// <summary>
    /// All arguments of one exec together, in UTF-8 bytes: the kernel's ARG_MAX is a quarter of the
    /// stack limit, capped at three quarters of _STK_LIM (6 MiB, fs/exec.c).
    /// </summary>
    public const int MaxArgvBytes = 6 * 1024 * 1024;

    /// <summary>Links of an ancestry chain (the depth of the process tree above the exec).</summary>
    public const int MaxAncestry = 4096;

    /// <summary>Highest PID: PID_MAX_LIMIT, 2^22 (include/linux/threads.h).</summary>
    public const int MaxPid = 4 * 1024 * 1024;

    /// <summary>The boot part of a process key: 8 hex digits live, a log's node name in replays.</summary>
    public const int MaxBootChars = MaxHostChars;

    /// <summary><c>syscall</c> names that are execs.</summary>
    public static readonly IReadOnlySet<string> Syscalls = new HashSet<string>(StringComparer.Ordinal) { "execve", "execveat" };

    /// <summary><c>arch</c>: a short ABI name such as <c>x86_64</c>.</summary>
    public const int MaxArchChars = 32;

    /// <summary>A session's name, as the rename API allows it.</summary>
    public const int MaxSessionNameChars = 200;

    /// <summary>Earliest and latest accepted event time.</summary>
    public static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch;

    public static readonly DateTimeOffset LatestTime = new(9999, 12, 31, 0, 0, 0, TimeSpan.Zero);
}
