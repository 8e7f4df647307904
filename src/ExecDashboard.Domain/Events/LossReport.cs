namespace ExecDashboard.Domain.Events;

/// <summary>
/// What a source knows it missed. Losses are shown, never hidden: the kernel's own counter
/// (records it dropped) and gaps in serial numbers (events it sent that we never assembled).
/// </summary>
public sealed record LossReport
{
    /// <summary>The kernel's cumulative <c>lost</c> counter, when the source can read it.</summary>
    public long? KernelLost { get; init; }

    /// <summary>Events missing between consecutive serial numbers.</summary>
    public long SerialGaps { get; init; }

    /// <summary>Records that could not be parsed and were counted, not used.</summary>
    public long MalformedRecords { get; init; }

    /// <summary>Records dropped because a bounded queue was full.</summary>
    public long QueueDrops { get; init; }

    /// <summary>Process ends (exit events) dropped because a bounded queue was full.</summary>
    public long EndQueueDrops { get; init; }
}
