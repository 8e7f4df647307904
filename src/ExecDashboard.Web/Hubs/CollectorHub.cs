using ExecDashboard.Contracts;
using ExecDashboard.Web.Authentication;
using ExecDashboard.Web.Ingest;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// Where collectors push batches. A call returns only after the batch is committed, so the ack
/// tells the collector exactly what it may drop from its spool.
/// </summary>
[Authorize(Policy = DashboardAuthenticationSchemes.CollectorPolicy)]
public sealed partial class CollectorHub(BatchValidator validator, IngestQueue queue, CollectorRegistry registry, ILogger<CollectorHub> logger) : Hub
{
    [HubMethodName(CollectorHubContract.PushBatch)]
    public async Task<BatchAck> PushBatchAsync(CollectorBatch batch)
    {
        IngestWork work;
        try
        {
            var (events, exits) = validator.ValidateWithExits(batch);
            work = new IngestWork(batch, events) { Exits = exits };
        }
        catch (BatchRejectedException ex)
        {
            // An id or host that is itself the problem is not shown (nor kept) in the collectors state.
            var collectorId = BatchValidator.IsUsableCollectorId(batch?.CollectorId) ? batch!.CollectorId : null;
            var host = BatchValidator.IsUsableHost(batch?.Host) ? batch!.Host : null;
            LogRejected(logger, collectorId ?? "(unusable id)", ex.Message);
            registry.Rejected(Context.ConnectionId, collectorId, host, ex.Message);
            throw new HubException($"{CollectorHubContract.RejectionPrefix}, nothing stored: {ex.Message}");
        }

        await queue.EnqueueAsync(work, Context.ConnectionAborted);
        var result = await work.Committed.Task.WaitAsync(Context.ConnectionAborted);
        registry.Accepted(Context.ConnectionId, batch, result);
        return new BatchAck { DurableBatchSeq = batch.BatchSeq, Stored = result.Stored, Duplicates = result.Duplicates };
    }

    public override Task OnConnectedAsync()
    {
        registry.Connected(Context.ConnectionId);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        registry.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a batch from collector {CollectorId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string? collectorId, string reason);
}
