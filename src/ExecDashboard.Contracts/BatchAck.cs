namespace ExecDashboard.Contracts;

/// <summary>
/// The dashboard's answer to a batch: every batch of this collector up to and including
/// <see cref="DurableBatchSeq"/> is committed, so the collector may drop it from its spool.
/// </summary>
public sealed class BatchAck
{
    public required long DurableBatchSeq { get; init; }

    /// <summary>Events of this batch that were new.</summary>
    public required int Stored { get; init; }

    /// <summary>Events of this batch already stored (a re-send), ignored by identity.</summary>
    public required int Duplicates { get; init; }
}
