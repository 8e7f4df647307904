namespace ExecDashboard.Domain.Sessions;

/// <summary>How much a <see cref="SessionReader"/> accepts before it rejects a document as oversize.</summary>
public sealed record SessionReadLimits
{
    public long MaxTotalBytes { get; init; } = 4L * 1024 * 1024 * 1024;

    public long MaxEvents { get; init; } = 10_000_000;

    public long MaxProcesses { get; init; } = 2_000_000;

    public long MaxGaps { get; init; } = 1_000_000;

    /// <summary>Process ends: at most one per process, and a session's processes are its execs and their parents.</summary>
    public long MaxExits { get; init; } = 10_000_000;

    /// <summary>
    /// Bytes of one argument (UTF-8, or decoded <c>argvBytes</c>). The kernel caps one argument at
    /// MAX_ARG_STRLEN, 32 pages (include/uapi/linux/binfmts.h), so the default leaves room for larger pages.
    /// </summary>
    public int MaxArgumentBytes { get; init; } = 1024 * 1024;

    /// <summary>Arguments of one exec.</summary>
    public int MaxArguments { get; init; } = 100_000;

    /// <summary>Bytes of one JSON element (one event with its ancestry); also the read buffer's ceiling.</summary>
    public int MaxElementBytes { get; init; } = 32 * 1024 * 1024;
}
