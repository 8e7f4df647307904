using ExecDashboard.Collector.Options;
using ExecDashboard.Contracts;
using ExecDashboard.Shipping;

namespace ExecDashboard.Collector.Wiring;

/// <summary>Turns the <c>--server</c> replicas, the collector token and the spool folder into shipping options.</summary>
internal static class DashboardTarget
{
    /// <summary>Null options and a sentence for the user when something is missing or unreadable.</summary>
    public static (ShippingOptions? Options, string? Error) Resolve(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Ships)
        {
            return (null, null);
        }

        var token = Environment.GetEnvironmentVariable(CollectorHubContract.TokenEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(token) && options.TokenFile is { } tokenFile)
        {
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"Cannot read the collector token from {tokenFile} ({e.Message}).");
            }
        }

        if (string.IsNullOrWhiteSpace(token))
        {
            return (null, $"--server needs the dashboard's collector token: set {CollectorHubContract.TokenEnvironmentVariable} or pass --token-file (the dashboard keeps it in its data folder as collector-token).");
        }

        var spool = options.SpoolDirectory ?? DefaultSpoolDirectory();
        if (options.CaFile is { } caFile && !File.Exists(caFile))
        {
            return (null, $"The CA file {caFile} (--ca-file) does not exist.");
        }

        // A log file can wait for the dashboard; the kernel cannot.
        var file = options.Source == SourceKind.File;
        return (new ShippingOptions
        {
            Servers = options.Servers,
            Token = token,
            SpoolDirectory = spool,
            CaFile = options.CaFile,
            WaitWhenSpoolFull = file,
            MaxPendingBatches = file ? ShippingOptions.InMemorySpoolBatches : int.MaxValue,

            // Two batches ready: enough to cut full batches; more only ages events into the
            // older generations of the heap while they wait (a replay's queue is always full).
            QueueCapacity = file ? 2 * CollectorHubContract.DefaultMaxEventsPerBatch : ShippingOptions.DefaultQueueCapacity,
        }, null);
    }

    private static string DefaultSpoolDirectory()
    {
        if (Environment.UserName == "root")
        {
            return "/var/spool/execdashboard";
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(string.IsNullOrEmpty(state) ? Path.Combine(home, ".local", "state") : state, "execdashboard", "spool");
    }
}
