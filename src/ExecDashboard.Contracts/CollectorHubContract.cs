namespace ExecDashboard.Contracts;

/// <summary>The names both ends of the collector hub agree on.</summary>
public static class CollectorHubContract
{
    /// <summary>Route of the hub on the dashboard.</summary>
    public const string Path = "/hubs/collector";

    /// <summary>
    /// Hub method the collector invokes with one <see cref="CollectorBatch"/>; it returns a
    /// <see cref="BatchAck"/> once the batch is durable (committed to SQLite).
    /// </summary>
    public const string PushBatch = "PushBatch";

    /// <summary>
    /// Start of the error message of a batch the dashboard refused for its content: re-sending
    /// it cannot succeed, so a collector drops it (and counts it) instead of retrying.
    /// </summary>
    public const string RejectionPrefix = "Batch rejected";

    /// <summary>Environment variable holding the collector token on both ends.</summary>
    public const string TokenEnvironmentVariable = "EXECDASH_COLLECTOR_TOKEN";

    /// <summary>Largest batch the dashboard accepts by default; a collector must not send more.</summary>
    public const int DefaultMaxEventsPerBatch = 2048;

    /// <summary>
    /// Batches a collector sends before the first of them is acknowledged, and calls of one
    /// collector connection the dashboard runs at once: while one batch is being committed the
    /// next ones are already checked and queued behind it, so the writer never waits for a round trip.
    /// </summary>
    public const int BatchesInFlight = 4;
}
