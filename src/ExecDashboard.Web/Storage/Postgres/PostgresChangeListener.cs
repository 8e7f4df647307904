using ExecDashboard.Web.Fleet;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// One replica's ear on the others: a dedicated connection that <c>LISTEN</c>s for committed live
/// batches (<see cref="ExecBatchNotice"/>) and collector status changes, reads each noticed batch
/// by its id range and hands it to <see cref="ExecStore.AdmitReplicated"/>, so this replica's feed,
/// rates, storms and growth see every host's execs, not only its own collectors'. Its own notices
/// are skipped (its ingest admitted them already). When the connection breaks (server restart,
/// <c>pg_terminate_backend</c>, network), it reconnects with backoff and, once listening again,
/// catches up by reading every live event above the newest it had seen (less
/// <see cref="ReplicaCatchUp.Overlap"/>), so nothing committed meanwhile is missed; ids already
/// taken are skipped, so nothing is shown twice.
/// </summary>
internal sealed partial class PostgresChangeListener(
    PostgresEventStore engine,
    ExecStore store,
    FleetCollectors collectors,
    TimeProvider time,
    ILogger<PostgresChangeListener> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    /// <summary>Events read per catch-up query: bounded, so a long absence is read in steps.</summary>
    private const int CatchUpPage = 4096;

    private readonly Lock _lock = new();
    private readonly List<ExecBatchNotice> _notices = [];
    private bool _collectorsChanged;

    /// <summary>How many times the connection was (re)opened; a test waits for a reconnect with it.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstRetry;
        var away = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var c = new NpgsqlConnection(ListenerConnectionString());
                c.Notification += OnNotification;
                await c.OpenAsync(stoppingToken);
                using (var listen = new NpgsqlCommand($"LISTEN {ExecBatchNotice.Channel}; LISTEN {ExecBatchNotice.CollectorsChannel};", c))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                // Listening first, then reading: a batch committed in between is both noticed and
                // read, and taken once; one committed before is read here.
                var caughtUp = CatchUp(c);
                collectors.Reload();
                Interlocked.Increment(ref _connections);
                if (away)
                {
                    LogBack(logger, caughtUp);
                }

                away = false;
                wait = FirstRetry;
                while (true)
                {
                    Drain(c);
                    await c.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is NpgsqlException or InvalidOperationException)
            {
                if (!away)
                {
                    away = true;
                    LogAway(logger, ex);
                }

                try
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    /// <summary>
    /// A connection of its own, outside the pool (it is held for the replica's life), with
    /// keepalives, so a server that vanished without closing the socket is noticed while waiting.
    /// </summary>
    private string ListenerConnectionString() => new NpgsqlConnectionStringBuilder(engine.ListenConnectionString)
    {
        Pooling = false,
        KeepAlive = 5,
        ApplicationName = $"ExecDashboard listener {engine.Replica}",
    }.ConnectionString;

    /// <summary>Raised while the connection reads (inside <c>WaitAsync</c> or any query): only queue.</summary>
    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        lock (_lock)
        {
            if (e.Channel == ExecBatchNotice.CollectorsChannel)
            {
                _collectorsChanged |= !string.Equals(e.Payload, engine.Replica, StringComparison.Ordinal);
            }
            else if (ExecBatchNotice.TryParse(e.Payload) is { } notice && !string.Equals(notice.Replica, engine.Replica, StringComparison.Ordinal))
            {
                _notices.Add(notice);
            }
        }
    }

    /// <summary>Reads every queued notice's batch (notices that arrive meanwhile are read too).</summary>
    private void Drain(NpgsqlConnection c)
    {
        while (true)
        {
            ExecBatchNotice[] notices;
            bool collectorsChanged;
            lock (_lock)
            {
                notices = [.. _notices];
                _notices.Clear();
                collectorsChanged = _collectorsChanged;
                _collectorsChanged = false;
            }

            if (notices.Length == 0 && !collectorsChanged)
            {
                return;
            }

            foreach (var notice in notices)
            {
                store.AdmitReplicated(PostgresEventStore.ReadNoticed(c, notice));
            }

            if (collectorsChanged)
            {
                collectors.Reload();
            }
        }
    }

    /// <summary>Takes every live event above the mark that is not in the live views yet; returns how many.</summary>
    private int CatchUp(NpgsqlConnection c)
    {
        var after = Math.Max(store.NewestLiveId - ReplicaCatchUp.Overlap, store.ReplicationFloor);
        var missing = PostgresEventStore.ReadLiveIdsAfter(c, Math.Max(after, 0)).Where(id => !store.HasSeen(id)).ToArray();
        var taken = 0;
        foreach (var page in missing.Chunk(CatchUpPage))
        {
            taken += store.AdmitReplicated(PostgresEventStore.ReadLiveEvents(c, page));
        }

        return taken;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not hearing from the other replicas: the listening connection to PostgreSQL failed; reconnecting.")]
    private static partial void LogAway(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening to the other replicas again; caught up on {Events} events committed meanwhile.")]
    private static partial void LogBack(ILogger logger, int events);
}
