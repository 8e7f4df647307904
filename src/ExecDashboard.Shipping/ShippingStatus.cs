namespace ExecDashboard.Shipping;

/// <summary>A snapshot of the shipper's counters.</summary>
public sealed record ShippingStatus
{
    public required bool Connected { get; init; }

    /// <summary>The replica the shipper is connected to, or trying next.</summary>
    public Uri? Server { get; init; }

    public required long EventsAccepted { get; init; }

    /// <summary>Events in batches the dashboard acknowledged as stored (this run).</summary>
    public required long EventsAcknowledged { get; init; }

    /// <summary>True when every event accepted so far is acknowledged (or was refused and counted).</summary>
    public required bool Drained { get; init; }

    public required long LastSpooledBatch { get; init; }

    public required long AcknowledgedBatch { get; init; }

    public required long PendingBatches { get; init; }

    public required long SpoolBytes { get; init; }

    /// <summary>Exec events dropped because the spool was full.</summary>
    public required long SpoolDrops { get; init; }

    /// <summary>Process ends handed to the shipper.</summary>
    public long EndsAccepted { get; init; }

    /// <summary>Process ends in batches the dashboard acknowledged as stored (this run).</summary>
    public long EndsAcknowledged { get; init; }

    /// <summary>Process ends dropped because the spool was full.</summary>
    public long EndSpoolDrops { get; init; }

    /// <summary>Batches the dashboard refused for their content (dropped, never retried).</summary>
    public required long RejectedBatches { get; init; }

    /// <summary>Events in the refused batches.</summary>
    public required long RejectedEvents { get; init; }

    public required long Reconnects { get; init; }

    public string? LastError { get; init; }
}
