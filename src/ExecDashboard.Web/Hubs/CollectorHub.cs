using ExecDashboard.Contracts;
using ExecDashboard.Web.Authentication;
using ExecDashboard.Web.Diagnostics;
using ExecDashboard.Web.Ingest;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// Where collectors push batches. A call returns only after the batch is committed, so the ack
/// tells the collector exactly what it may drop from its spool.
/// </summary>
/// <remarks>
/// Up to <see cref="CollectorHubContract.BatchesInFlight"/> calls of one connection run at once.
/// SignalR starts them in the order they arrive and each runs without yielding until its batch is
/// in the ingest queue (checks, conversion, a write to a queue with room, or a place in line when
/// it is full), so a collector's batches are queued in the order sent. Measured with one call at a
/// time: the writer waited about 1 ms per batch for the next call (the ack's trip, the hub's checks).
/// </remarks>
[Authorize(Policy = DashboardAuthenticationSchemes.CollectorPolicy)]
public sealed partial class CollectorHub(BatchValidator validator, IngestQueue queue, CollectorRegistry registry, CollectorCredentials credentials, TimeProvider time, ILogger<CollectorHub> logger) : Hub
{
    [HubMethodName(CollectorHubContract.PushBatch)]
    public async Task<BatchAck> PushBatchAsync(CollectorBatch batch)
    {
        var received = time.GetTimestamp();
        // A token removed from the tokens file stops working at the next batch, not at the next
        // reconnect. Not the rejection prefix: the batch is fine, the collector keeps it in its
        // spool, and its reconnect is refused at the door (401) until it has a valid token.
        if (!credentials.IsCurrent(TokenName, Context.User?.FindFirst(AuthenticationRegistration.CollectorTokenClaim)?.Value))
        {
            LogRevoked(logger, TokenName ?? "(unnamed)");
            throw new HubException($"The collector token '{TokenName}' was revoked (it is no longer in the dashboard's collector tokens file); nothing stored; reconnect with a valid token.");
        }

        IngestWork work;
        try
        {
            var (events, exits) = validator.ValidateWithExits(batch);
            var connectionId = Context.ConnectionId;
            work = new IngestWork(batch, events)
            {
                Exits = exits,

                // Recorded inside the commit, so the store's one change notice covers the collector's state too.
                OnStored = stored => registry.Accepted(connectionId, batch, stored, notify: false),
            };
            RecordKernelToHub(events);
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
        LatencyInstruments.Commit.Record(time.GetElapsedTime(received).TotalMilliseconds);
        return new BatchAck { DurableBatchSeq = batch.BatchSeq, Stored = result.Stored, Duplicates = result.Duplicates };
    }

    private void RecordKernelToHub(IReadOnlyList<Domain.Events.ExecEvent> events)
    {
        var now = time.GetUtcNow();
        foreach (var e in events)
        {
            var age = now - e.Exec.Time;
            if (age < LatencyInstruments.LiveHorizon)
            {
                LatencyInstruments.KernelToHub.Record(age.TotalMilliseconds);
            }
        }
    }

    public override Task OnConnectedAsync()
    {
        registry.Connected(Context.ConnectionId, TokenName);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        registry.Disconnected(Context.ConnectionId);
        return base.OnDisconnectedAsync(exception);
    }

    /// <summary>The name of the token this connection opened with (its tokens-file line).</summary>
    private string? TokenName => Context.User?.FindFirst(AuthenticationRegistration.CollectorTokenNameClaim)?.Value;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a batch: the collector token '{TokenName}' was revoked.")]
    private static partial void LogRevoked(ILogger logger, string tokenName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected a batch from collector {CollectorId}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string? collectorId, string reason);
}
