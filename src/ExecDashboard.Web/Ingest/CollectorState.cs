namespace ExecDashboard.Web.Ingest;

/// <summary>One collector as the dashboard last saw it; immutable snapshot for views.</summary>
public sealed record CollectorState
{
    public required string CollectorId { get; init; }

    public required string Host { get; init; }

    public required bool Connected { get; init; }

    /// <summary>The name of the token it authenticated with (a line of the collector tokens file).</summary>
    public string? TokenName { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    public double EventsPerSec { get; init; }

    public long? KernelLost { get; init; }

    public long SerialGaps { get; init; }

    public long Malformed { get; init; }

    public long QueueDrops { get; init; }

    public long SpoolDrops { get; init; }

    public long EventsStored { get; init; }

    public long Duplicates { get; init; }

    public long BatchesRejected { get; init; }

    public long DurableBatchSeq { get; init; }

    /// <summary>The dashboard replica it ships to (or last shipped to); null with a store of one dashboard.</summary>
    public string? Replica { get; init; }

    /// <summary>Why the last rejected batch was rejected.</summary>
    public string? LastRejection { get; init; }
}
