using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Ingest;

/// <summary>
/// The single writer: takes batches off the queue and commits each in one transaction. While the
/// database is away (a PostgreSQL server restarting), the batch in hand is retried with backoff and
/// stays unacknowledged; the queue fills, hub calls wait and collectors keep their spools, so nothing
/// is lost and the dashboard does not stop.
/// </summary>
public sealed partial class IngestWorker(IngestQueue queue, ExecStore store, TimeProvider time, ILogger<IngestWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                await CommitAsync(work, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged batches stay in the collectors' spools.
        }
    }

    private async Task CommitAsync(IngestWork work, CancellationToken stoppingToken)
    {
        var b = work.Batch;
        var wait = FirstRetry;
        var away = false;
        while (true)
        {
            try
            {
                var result = store.AppendCollectorBatch(b.CollectorId, b.Host, b.BatchSeq, b.Status.SerialGaps, b.Status.KernelLost ?? 0, work.Events, work.Exits, work.OnStored);
                work.Committed.TrySetResult(result);
                if (away)
                {
                    LogStoreBack(logger, b.BatchSeq, b.CollectorId);
                }

                return;
            }
            catch (Exception ex) when (store.IsTransient(ex))
            {
                if (!away)
                {
                    away = true;
                    LogStoreAway(logger, ex, b.BatchSeq, b.CollectorId);
                }

                try
                {
                    await Task.Delay(wait, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    work.Committed.TrySetCanceled(stoppingToken);
                    throw;
                }

                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, LongestRetry.Ticks));
            }
#pragma warning disable CA1031 // The collector is told (its batch stays spooled and is re-sent); the worker goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogCommitFailed(logger, ex, b.BatchSeq, b.CollectorId);
                work.Committed.TrySetException(ex);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store batch {BatchSeq} of collector {CollectorId}.")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, long batchSeq, string collectorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unreachable; batch {BatchSeq} of collector {CollectorId} waits, unacknowledged, and is retried until it is back.")]
    private static partial void LogStoreAway(ILogger logger, Exception ex, long batchSeq, string collectorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database is back; batch {BatchSeq} of collector {CollectorId} is stored.")]
    private static partial void LogStoreBack(ILogger logger, long batchSeq, string collectorId);
}
