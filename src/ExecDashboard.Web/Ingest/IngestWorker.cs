using System.Threading.Channels;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Ingest;

/// <summary>
/// The single writer: takes batches off the queue and commits each in one transaction. While the
/// database is away (a PostgreSQL server restarting), the batch in hand is retried with backoff and
/// stays unacknowledged; the queue fills, hub calls wait and collectors keep their spools, so nothing
/// is lost and the dashboard does not stop.
/// </summary>
/// <remarks>
/// A committed batch is shown (hot window, analytics, change notice) and acknowledged by a second
/// loop, in commit order, while this one commits the next: showing was 7% of the writer's time in
/// a 300,000-exec replay, and the writer is the one serial step between collectors and their acks.
/// </remarks>
public sealed partial class IngestWorker(IngestQueue queue, ExecStore store, TimeProvider time, ILogger<IngestWorker> logger) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(5);

    /// <summary>Committed batches waiting to be shown; the writer waits when this many are.</summary>
    private const int ShownBehind = 4;

    private readonly Channel<(IngestWork Work, CommittedBatch Batch)> _committed = Channel.CreateBounded<(IngestWork, CommittedBatch)>(
        new BoundedChannelOptions(ShownBehind) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var showing = Task.Run(ShowAsync, CancellationToken.None);
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                if (await CommitAsync(work, stoppingToken) is { } committed)
                {
                    await _committed.Writer.WriteAsync((work, committed), stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged batches stay in the collectors' spools.
        }
        finally
        {
            // What is committed is still shown and acknowledged.
            _committed.Writer.TryComplete();
            await showing;
        }
    }

    private async Task ShowAsync()
    {
        await foreach (var (work, committed) in _committed.Reader.ReadAllAsync())
        {
            try
            {
                work.Committed.TrySetResult(store.ShowCommitted(committed, work.OnStored));
            }
#pragma warning disable CA1031 // The batch is stored; the collector is told, re-sends it, and its events count as duplicates.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogShowFailed(logger, ex, work.Batch.BatchSeq, work.Batch.CollectorId);
                work.Committed.TrySetException(ex);
            }
        }
    }

    /// <summary>Commits one batch, retrying while the database is away; null when it failed (the hub call is told).</summary>
    private async Task<CommittedBatch?> CommitAsync(IngestWork work, CancellationToken stoppingToken)
    {
        var b = work.Batch;
        var wait = FirstRetry;
        var away = false;
        while (true)
        {
            try
            {
                var committed = store.CommitCollectorBatch(b.CollectorId, b.Host, b.BatchSeq, b.Status.SerialGaps, b.Status.KernelLost ?? 0, work.Events, work.Exits);
                if (away)
                {
                    LogStoreBack(logger, b.BatchSeq, b.CollectorId);
                }

                return committed;
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
                return null;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store batch {BatchSeq} of collector {CollectorId}.")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, long batchSeq, string collectorId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Batch {BatchSeq} of collector {CollectorId} is stored but could not be shown live; the collector is told and sends it again.")]
    private static partial void LogShowFailed(ILogger logger, Exception ex, long batchSeq, string collectorId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unreachable; batch {BatchSeq} of collector {CollectorId} waits, unacknowledged, and is retried until it is back.")]
    private static partial void LogStoreAway(ILogger logger, Exception ex, long batchSeq, string collectorId);

    [LoggerMessage(Level = LogLevel.Information, Message = "The database is back; batch {BatchSeq} of collector {CollectorId} is stored.")]
    private static partial void LogStoreBack(ILogger logger, long batchSeq, string collectorId);
}
