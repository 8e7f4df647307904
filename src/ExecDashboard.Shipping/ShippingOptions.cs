namespace ExecDashboard.Shipping;

/// <summary>How a collector ships events to a dashboard.</summary>
public sealed class ShippingOptions
{
    /// <summary>
    /// While the link keeps up, a batch is sent right after it is spooled: the spool keeps the
    /// newest this many in memory too (their encoded bytes), sparing reading them back from disk. Bounded
    /// by batches, not bytes, because a batch is itself bounded (events and bytes).
    /// </summary>
    public const int InMemorySpoolBatches = 8;

    /// <summary>
    /// Base addresses of the dashboard replicas, for example <c>http://127.0.0.1:5150</c>: the
    /// shipper sticks to one and moves to the next when it is gone (see <see cref="ServerRotation"/>).
    /// </summary>
    public required IReadOnlyList<Uri> Servers { get; init; }

    /// <summary>
    /// PEM file of the CA certificates that may sign an <c>https://</c> dashboard's certificate,
    /// beside the system store's; null trusts the system store only.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>The dashboard's collector token.</summary>
    public required string Token { get; init; }

    /// <summary>Folder of the on-disk spool; one spool per collector.</summary>
    public required string SpoolDirectory { get; init; }

    /// <summary>The collector's stable id; default: one generated once and kept in the spool folder.</summary>
    public string? CollectorId { get; init; }

    public string Host { get; init; } = Environment.MachineName;

    /// <summary>Spool size cap; batches that would pass it are dropped and counted (unless <see cref="WaitWhenSpoolFull"/>).</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Wait for room in a full spool instead of dropping: right for a source that can wait (a log
    /// file being replayed), wrong for the kernel, which would lose records while we wait.
    /// </summary>
    public bool WaitWhenSpoolFull { get; init; }

    /// <summary>
    /// With <see cref="WaitWhenSpoolFull"/>, also wait while this many batches are unacknowledged:
    /// a replay then runs no further ahead of the dashboard than the batches the spool still holds
    /// in memory, so each is sent without being read back and decoded from disk.
    /// </summary>
    public int MaxPendingBatches { get; init; } = int.MaxValue;

    /// <summary>
    /// A batch is cut at this many events... A batch fills only while a queue waits (see
    /// <see cref="SendWhenIdle"/>), so its size adds no latency; the dashboard's fixed costs per
    /// batch (a hub call, a transaction, the collector's row, the ancestors merged once per batch)
    /// are then shared by as many events as it accepts (deploy/bench-store.sh).
    /// </summary>
    public int MaxBatchEvents { get; init; } = Contracts.CollectorHubContract.DefaultMaxEventsPerBatch;

    /// <summary>
    /// ...or when its events' estimated size passes this, well under the dashboard's message limit
    /// (8 MiB by default), since one exec's arguments alone can reach 2 MiB (ARG_MAX).
    /// </summary>
    public int MaxBatchBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>...or this long after its first event, whichever comes first...</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// ...or at once when nothing waits to be sent: batching only pays while there is a queue, and
    /// holding an exec back on an idle link only adds latency. Off, only size and time cut.
    /// </summary>
    public bool SendWhenIdle { get; init; } = true;

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Default of <see cref="QueueCapacity"/>: a live source's bursts wait here rather than in the kernel.</summary>
    public const int DefaultQueueCapacity = 65_536;

    /// <summary>Events waiting to be cut into batches.</summary>
    public int QueueCapacity { get; init; } = DefaultQueueCapacity;

    public void Validate()
    {
        if (Servers is null || Servers.Count == 0)
        {
            throw new ArgumentException("--server needs at least one dashboard address.");
        }

        foreach (var server in Servers)
        {
            if (server is null || !server.IsAbsoluteUri || (server.Scheme != Uri.UriSchemeHttp && server.Scheme != Uri.UriSchemeHttps))
            {
                throw new ArgumentException($"--server must be http:// or https:// addresses, not '{server}'.");
            }
        }

        if (CaFile is not null && Servers.Any(s => s.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("--ca-file is only used with https:// --server addresses.");
        }

        if (string.IsNullOrWhiteSpace(Token))
        {
            throw new ArgumentException("A collector token is required to ship to a dashboard (EXECDASH_COLLECTOR_TOKEN or --token-file).");
        }

        if (MaxBatchEvents is < 1 or > Contracts.CollectorHubContract.DefaultMaxEventsPerBatch)
        {
            throw new ArgumentException($"The batch size must be 1 to {Contracts.CollectorHubContract.DefaultMaxEventsPerBatch} events, not {MaxBatchEvents}.");
        }

        if (SpoolMaxBytes < 1024 * 1024)
        {
            throw new ArgumentException($"The spool cap must be at least 1 MiB, not {SpoolMaxBytes} bytes.");
        }
    }
}
