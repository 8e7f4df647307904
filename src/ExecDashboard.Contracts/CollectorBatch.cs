namespace ExecDashboard.Contracts;

/// <summary>
/// One push from a collector. <see cref="BatchSeq"/> increases by one per batch for the life of
/// the collector's spool, so the dashboard can acknowledge "everything up to N is durable".
/// </summary>
public sealed class CollectorBatch
{
    /// <summary>Stable id of the collector (its spool), chosen by the collector.</summary>
    public required string CollectorId { get; init; }

    public required string Host { get; init; }

    public required long BatchSeq { get; init; }

    public required IReadOnlyList<ExecEventMessage> Events { get; init; }

    /// <summary>Processes that ended; empty from collectors without the proc connector, and from older ones.</summary>
    public IReadOnlyList<ProcessExitMessage> Exits { get; init; } = [];

    public required CollectorStatus Status { get; init; }
}
