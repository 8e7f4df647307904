using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Fleet;

/// <summary>
/// Once a second: this replica's heartbeat, and its collectors when they changed, into the shared
/// store (the other replicas are notified and read them). Every few beats the fleet's rows are read
/// again, so a replica that died (no heartbeat) shows its collectors as disconnected.
/// </summary>
public sealed partial class CollectorStatusPublisher(
    CollectorRegistry registry,
    FleetCollectors fleet,
    ICollectorDirectory directory,
    ExecStore store,
    TimeProvider time,
    ILogger<CollectorStatusPublisher> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private const int BeatsPerReload = 5;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        IReadOnlyList<CollectorState> published = [];
        var beats = 0;
        var failing = false;
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            do
            {
                try
                {
                    var current = registry.Snapshot();
                    var changed = !current.SequenceEqual(published);
                    await Task.Run(() => directory.Publish(changed ? current : null, time.GetUtcNow()), stoppingToken);
                    published = current;
                    if (++beats % BeatsPerReload == 0)
                    {
                        await Task.Run(fleet.Reload, stoppingToken);
                    }

                    failing = false;
                }
                catch (Exception ex) when (store.IsTransient(ex))
                {
                    // The ingest worker reports the database away; one line here says what it costs.
                    if (!failing)
                    {
                        failing = true;
                        LogAway(logger, ex);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not tell the other replicas about this one's collectors; retrying every second.")]
    private static partial void LogAway(ILogger logger, Exception ex);
}
