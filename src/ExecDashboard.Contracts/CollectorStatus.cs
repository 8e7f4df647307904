namespace ExecDashboard.Contracts;

/// <summary>The collector's loss counters and throughput at the time a batch was cut.</summary>
public sealed class CollectorStatus
{
    /// <summary>The kernel's cumulative <c>lost</c> counter, when the source can read it.</summary>
    public long? KernelLost { get; init; }

    public long SerialGaps { get; init; }

    public long Malformed { get; init; }

    public long QueueDrops { get; init; }

    /// <summary>Events the collector could not spool because the spool was full.</summary>
    public long SpoolDrops { get; init; }

    public double EventsPerSec { get; init; }
}
