namespace ExecDashboard.Shipping;

/// <summary>How a collector ships events to a dashboard.</summary>
public sealed class ShippingOptions
{
    /// <summary>Base address of the dashboard, for example <c>http://127.0.0.1:5150</c>.</summary>
    public required Uri Server { get; init; }

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

    /// <summary>Spool size cap; batches that would pass it are dropped and counted.</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>A batch is cut at this many events...</summary>
    public int MaxBatchEvents { get; init; } = 512;

    /// <summary>
    /// ...or when its events' estimated size passes this, well under the dashboard's message limit
    /// (8 MiB by default), since one exec's arguments alone can reach 2 MiB (ARG_MAX).
    /// </summary>
    public int MaxBatchBytes { get; init; } = 1024 * 1024;

    /// <summary>...or this long after its first event, whichever comes first.</summary>
    public TimeSpan MaxBatchDelay { get; init; } = TimeSpan.FromMilliseconds(50);

    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Events waiting to be cut into batches.</summary>
    public int QueueCapacity { get; init; } = 65_536;

    public void Validate()
    {
        if (!Server.IsAbsoluteUri || (Server.Scheme != Uri.UriSchemeHttp && Server.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--server must be an http:// or https:// address, not '{Server}'.");
        }

        if (CaFile is not null && Server.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("--ca-file is only used with an https:// --server.");
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
