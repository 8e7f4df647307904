namespace ExecDashboard.Domain.Sessions;

/// <summary>Something a session knows it missed; exported so an import shows the same losses.</summary>
public sealed record SessionGap
{
    public required SessionGapKind Kind { get; init; }

    /// <summary>When the loss was noticed.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>Events (serial gap) or records (kernel lost) missed.</summary>
    public required long Count { get; init; }

    public required string Host { get; init; }

    /// <summary>For a serial gap: the last serial seen before it.</summary>
    public ulong? AfterSerial { get; init; }

    /// <summary>For a serial gap: the first serial seen after it.</summary>
    public ulong? BeforeSerial { get; init; }
}

public enum SessionGapKind
{
    /// <summary>Serial numbers skipped between two assembled events.</summary>
    SerialGap = 0,

    /// <summary>The kernel's own <c>lost</c> counter rose (backlog overflow, see include/uapi/linux/audit.h).</summary>
    KernelLost = 1,
}
