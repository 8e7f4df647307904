using System.Threading.Channels;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Ingest;

/// <summary>One validated batch waiting for SQLite, with the hub call waiting for its commit.</summary>
public sealed record IngestWork(CollectorBatch Batch, IReadOnlyList<ExecEvent> Events)
{
    /// <summary>The batch's validated process ends, stored in the same transaction as its events.</summary>
    public IReadOnlyList<ProcessEnd> Exits { get; init; } = [];

    /// <summary>
    /// Called once the batch is committed and before the store tells its subscribers, so one change
    /// notice covers both (two notices a moment apart made the throttle hold the next batch's).
    /// </summary>
    public Action<IngestResult>? OnStored { get; init; }

    public TaskCompletionSource<IngestResult> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Bounded hand-off from hub calls to the single ingest writer. When full, hub calls wait:
/// collectors slow down (they spool), nothing is dropped here.
/// </summary>
public sealed class IngestQueue(IOptions<DashboardOptions> options)
{
    private readonly Channel<IngestWork> _channel = Channel.CreateBounded<IngestWork>(new BoundedChannelOptions(options.Value.IngestQueueCapacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public int Count => _channel.Reader.Count;

    public ValueTask EnqueueAsync(IngestWork work, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(work, cancellationToken);

    public ChannelReader<IngestWork> Reader => _channel.Reader;

    public void Complete() => _channel.Writer.TryComplete();
}
