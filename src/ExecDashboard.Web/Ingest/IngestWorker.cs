using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Ingest;

/// <summary>The single writer: takes batches off the queue and commits each in one transaction.</summary>
public sealed partial class IngestWorker(IngestQueue queue, ExecStore store, ILogger<IngestWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var work in queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    var b = work.Batch;
                    var result = store.AppendCollectorBatch(b.CollectorId, b.Host, b.BatchSeq, b.Status.SerialGaps, b.Status.KernelLost ?? 0, work.Events, work.Exits);
                    work.Committed.TrySetResult(result);
                }
#pragma warning disable CA1031 // The collector is told (its batch stays spooled and is re-sent); the worker goes on.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    LogCommitFailed(logger, ex, work.Batch.BatchSeq, work.Batch.CollectorId);
                    work.Committed.TrySetException(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged batches stay in the collectors' spools.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store batch {BatchSeq} of collector {CollectorId}.")]
    private static partial void LogCommitFailed(ILogger logger, Exception ex, long batchSeq, string collectorId);
}
