using System.Diagnostics;
using System.Threading.Channels;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Shipping.Wire;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Shipping;

/// <summary>
/// Ships exec events to a dashboard: cuts them into batches by size and time, appends each batch
/// to the on-disk spool, and sends the spool in order over SignalR. A batch leaves the spool only
/// when the dashboard acknowledges it as committed; after a reconnect everything unacknowledged
/// is sent again (the dashboard ignores what it already has), so a restart loses nothing.
/// </summary>
public sealed partial class DashboardShipper : IExecEventSink, IAsyncDisposable
{
    /// <summary>Batches sent before the first of them is acknowledged.</summary>
    private const int SendWindow = CollectorHubContract.BatchesInFlight;

    /// <summary>
    /// How long a batch being filled pauses when its queue is empty but execs are coming and
    /// earlier batches wait to be sent. Without it the loop woke for every few execs, each time
    /// with a timer and a linked token (17,000 waits in a 300,000-exec replay, and pool threads
    /// contending with the pipeline thread on two cores). Measured on such replays into a
    /// dashboard, six alternating runs each: 4.9 s against 5.2 s of wall time, collector CPU
    /// 4.0 against 4.1 s. A live exec waits at most this much longer, and only in a storm.
    /// </summary>
    private static readonly TimeSpan GatherTime = TimeSpan.FromMilliseconds(2);

    // MessagePackSerializerOptions.Standard with our resolver, without initializing the standard one.
    private static readonly MessagePackSerializerOptions HubSerializer = new MessagePackSerializerOptions(SpooledEventsFormatter.Resolver)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly ShippingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly BatchSpool _spool;
    private readonly ServerRotation _servers;
    private readonly Channel<OutgoingItem> _queue;
    private readonly SemaphoreSlim _spooled = new(0);

    // Completed (and replaced) on every acknowledgement: a batch that fills while the link is busy
    // is cut as soon as the link frees up, not at its deadline.
    private TaskCompletionSource _acknowledged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _batching;
    private readonly Task _sending;
    private LossReport _loss = new();
    private long _eventsAccepted;
    private long _eventsAcknowledged;
    private long _rejectedEvents;
    private long _spoolDrops;
    private long _endsAccepted;
    private long _endsAcknowledged;
    private long _endSpoolDrops;
    private long _rejected;
    private long _reconnects;
    private double _eventsPerSec;
    private volatile bool _connected;
    private volatile string? _lastError;
    private volatile Uri? _server;
    private int _inFlight;

    public DashboardShipper(ShippingOptions options, TimeProvider? time = null, ILogger<DashboardShipper>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger<DashboardShipper>.Instance;
        _spool = new BatchSpool(options.SpoolDirectory, options.SpoolMaxBytes);
        _servers = new ServerRotation(options.Servers);
        CollectorId = options.CollectorId ?? _spool.CollectorId();
        _queue = Channel.CreateBounded<OutgoingItem>(new BoundedChannelOptions(options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _batching = Task.Run(() => BatchLoopAsync(_stop.Token));
        _sending = Task.Run(() => SendLoopAsync(_stop.Token));
    }

    public string CollectorId { get; }

    public ShippingStatus Status => new()
    {
        Connected = _connected,
        Server = _server,
        EventsAccepted = Interlocked.Read(ref _eventsAccepted),
        EventsAcknowledged = Interlocked.Read(ref _eventsAcknowledged),
        Drained = IsDrained(),
        LastSpooledBatch = _spool.LastSeq,
        AcknowledgedBatch = _spool.AcknowledgedSeq,
        PendingBatches = _spool.PendingCount,
        SpoolBytes = _spool.Bytes,
        SpoolDrops = Interlocked.Read(ref _spoolDrops),
        EndsAccepted = Interlocked.Read(ref _endsAccepted),
        EndsAcknowledged = Interlocked.Read(ref _endsAcknowledged),
        EndSpoolDrops = Interlocked.Read(ref _endSpoolDrops),
        RejectedBatches = Interlocked.Read(ref _rejected),
        RejectedEvents = Interlocked.Read(ref _rejectedEvents),
        Reconnects = Interlocked.Read(ref _reconnects),
        LastError = _lastError,
    };

    /// <summary>
    /// Completes at the next acknowledgement (or refusal) of a batch: lets a caller that waits for
    /// <see cref="ShippingStatus.Drained"/> look again when it may have changed. Take it before the
    /// look at <see cref="Status"/>, so an acknowledgement in between is not missed.
    /// </summary>
    public Task NextAcknowledgement => Volatile.Read(ref _acknowledged).Task;

    public ValueTask WriteAsync(ExecEvent execEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execEvent);
        Interlocked.Increment(ref _eventsAccepted);
        return _queue.Writer.WriteAsync(new OutgoingItem(execEvent, null), cancellationToken);
    }

    public ValueTask WriteEndAsync(ProcessEnd end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(end);
        Interlocked.Increment(ref _endsAccepted);
        return _queue.Writer.WriteAsync(new OutgoingItem(null, ProcessExitMessage.From(end)), cancellationToken);
    }

    public void ReportLoss(LossReport report) => Volatile.Write(ref _loss, report ?? throw new ArgumentNullException(nameof(report)));

    /// <summary>Waits until every event written so far is acknowledged by the dashboard (or the token fires).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (!IsDrained())
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    private bool IsDrained() =>
        _queue.Reader.Count == 0 && Volatile.Read(ref _inFlight) == 0 && _spool.AcknowledgedSeq >= _spool.LastSeq;

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        try
        {
            // Cut and spool what is queued, so it is sent on the next start if not now.
            await _batching.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException)
        {
            // Still queued in memory only; counted by the caller as not shipped.
        }

        await _stop.CancelAsync();
        try
        {
            await _sending;
        }
        catch (OperationCanceledException)
        {
        }

        _spool.Dispose();
        _stop.Dispose();
        _spooled.Dispose();
    }

    private async Task BatchLoopAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        var batch = new PendingBatch();
        var rateStart = _time.GetTimestamp();
        long rateCount = 0;
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                Interlocked.Exchange(ref _inFlight, 1);
                var deadline = _time.GetTimestamp() + (long)(_options.MaxBatchDelay.TotalSeconds * _time.TimestampFrequency);
                var gathered = false;
                while (batch.Count < _options.MaxBatchEvents && batch.Bytes < _options.MaxBatchBytes)
                {
                    if (reader.TryRead(out var item))
                    {
                        gathered = true;
                        if (item.Exec is { } e)
                        {
                            batch.Add(e);
                        }
                        else if (item.Exit is { } exit)
                        {
                            batch.Add(exit);
                        }

                        continue;
                    }

                    // Batch only while there is a queue: with nothing waiting to be sent the
                    // pipe is idle, and holding this batch back would only add latency.
                    var acknowledged = Volatile.Read(ref _acknowledged).Task;
                    var left = deadline - _time.GetTimestamp();
                    if (left <= 0 || (_options.SendWhenIdle && _spool.PendingCount == 0))
                    {
                        break;
                    }

                    if (gathered && left > 2 * GatherTime.TotalSeconds * _time.TimestampFrequency)
                    {
                        // Batches wait to be sent and execs keep coming: let them gather for a
                        // moment rather than wake up for every few (see GatherTime). When none
                        // came meanwhile, the wait below blocks until one does.
                        gathered = false;
                        await Task.Delay(GatherTime, _time, cancellationToken);
                        continue;
                    }

                    using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    wait.CancelAfter(TimeSpan.FromSeconds((double)left / _time.TimestampFrequency));
                    try
                    {
                        var more = reader.WaitToReadAsync(wait.Token).AsTask();
                        if (_options.SendWhenIdle && await Task.WhenAny(more, acknowledged) == acknowledged)
                        {
                            // The link freed up: look again whether it is idle now (then cut).
                            await wait.CancelAsync();
                            continue;
                        }

                        if (!await more)
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        break;
                    }
                }

                rateCount += batch.EventCount;
                var elapsed = _time.GetElapsedTime(rateStart);
                if (elapsed >= TimeSpan.FromSeconds(1))
                {
                    Volatile.Write(ref _eventsPerSec, rateCount / elapsed.TotalSeconds);
                    rateStart = _time.GetTimestamp();
                    rateCount = 0;
                }

                await WaitForPendingRoomAsync(cancellationToken);

                var seq = _spool.Append(batch);
                while (seq is null && _options.WaitWhenSpoolFull)
                {
                    // Back-pressure: the batch loop waits, the queue fills, the source waits.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _time, cancellationToken);
                    seq = _spool.Append(batch);
                }

                if (seq is null)
                {
                    // Process ends are lost like execs, and counted beside them.
                    Interlocked.Add(ref _spoolDrops, batch.EventCount);
                    Interlocked.Add(ref _endSpoolDrops, batch.ExitCount);
                    LogSpoolFull(_logger, batch.Count, _options.SpoolMaxBytes);
                }
                else
                {
                    _spooled.Release();
                }

                batch.Clear();
                Interlocked.Exchange(ref _inFlight, 0);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// With <see cref="ShippingOptions.WaitWhenSpoolFull"/>, waits until fewer than
    /// <see cref="ShippingOptions.MaxPendingBatches"/> batches are unacknowledged. Woken by each
    /// acknowledgement, not by polling: a replay runs ahead of the dashboard and waits here for
    /// most of its run, and a 2 ms poll was 500 wake-ups a second of a thread-pool thread, each
    /// followed by the pool's spinning before it sleeps again.
    /// </summary>
    private async Task WaitForPendingRoomAsync(CancellationToken cancellationToken)
    {
        while (_options.WaitWhenSpoolFull)
        {
            // Taken before the check: an acknowledgement after the check completes this task.
            var acknowledged = Volatile.Read(ref _acknowledged).Task;
            if (_spool.PendingCount < _options.MaxPendingBatches)
            {
                return;
            }

            await acknowledged.WaitAsync(cancellationToken);
        }
    }

    private async Task SendLoopAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(_options.InitialBackoff, _options.MaxBackoff);
        while (!cancellationToken.IsCancellationRequested)
        {
            var server = _servers.Current;
            _server = server;
            await using var connection = BuildConnection(server);
            try
            {
                await connection.StartAsync(cancellationToken);
                _connected = true;
                _lastError = null;
                backoff.Reset();
                LogConnected(_logger, server);
                await SendSpoolAsync(connection, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Any failure of the link means: reconnect later; the spool keeps the data.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = Describe(ex);
                if (_servers.CanSwitch)
                {
                    // Failover: what this replica did not acknowledge is still spooled, and the
                    // next connection starts again from the oldest unacknowledged batch.
                    LogSwitching(_logger, server, _lastError, _servers.Next());
                }
                else
                {
                    LogLinkFailed(_logger, _lastError);
                }
            }

            _connected = false;
            Interlocked.Increment(ref _reconnects);
            try
            {
                await Task.Delay(backoff.Next(), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task SendSpoolAsync(HubConnection connection, CancellationToken cancellationToken)
    {
        // After a (re)connect, start again from the oldest unacknowledged batch. Up to
        // SendWindow batches travel at once: the dashboard handles one call of a connection at a
        // time, in order, so while it commits one the next is already encoded and on its way
        // (stop-and-wait left both ends idle half the time). Acks come back in order.
        var sent = _spool.AcknowledgedSeq;
        var inFlight = new Queue<(SpooledBatch Batch, Task<object?> Ack)>(SendWindow);
        try
        {
            while (true)
            {
                while (inFlight.Count < SendWindow && _spool.NextAfter(sent) is { } next)
                {
                    var batch = new CollectorBatch
                    {
                        CollectorId = CollectorId,
                        Host = _options.Host,
                        BatchSeq = next.Seq,
                        Events = next.Events,
                        Exits = next.Exits,
                        Status = CurrentStatus(),
                    };
                    // The answer as its raw bytes, read by BatchAckReader (see there why).
                    inFlight.Enqueue((next, connection.InvokeCoreAsync(CollectorHubContract.PushBatch, typeof(RawResult), [batch], cancellationToken)));
                    sent = next.Seq;
                }

                if (inFlight.Count == 0)
                {
                    await _spooled.WaitAsync(TimeSpan.FromMilliseconds(250), cancellationToken);
                    if (connection.State != HubConnectionState.Connected)
                    {
                        throw new InvalidOperationException("The connection to the dashboard closed.");
                    }

                    continue;
                }

                var (spooled, pending) = inFlight.Peek();
                try
                {
                    var ack = BatchAckReader.Read(((RawResult)(await pending)!).RawSerializedData);
                    if (spooled.Seq > _spool.AcknowledgedSeq)
                    {
                        Interlocked.Add(ref _eventsAcknowledged, spooled.Events.Count);
                        Interlocked.Add(ref _endsAcknowledged, spooled.Exits.Count);
                    }

                    _spool.Acknowledge(Math.Min(ack.DurableBatchSeq, spooled.Seq));
                }
                catch (HubException ex) when (ex.Message.Contains(CollectorHubContract.RejectionPrefix, StringComparison.Ordinal))
                {
                    // Re-sending cannot help a batch refused for its content: drop it, count it, go on.
                    Interlocked.Increment(ref _rejected);
                    Interlocked.Add(ref _rejectedEvents, spooled.ItemCount);
                    _lastError = ex.Message;
                    LogRejected(_logger, spooled.Seq, ex.Message);
                    _spool.Acknowledge(spooled.Seq);
                }

                inFlight.Dequeue();
                Interlocked.Exchange(ref _acknowledged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
            }
        }
        finally
        {
            // Calls still out fail with the connection; their batches stay spooled for the next one.
            foreach (var (_, pending) in inFlight)
            {
                _ = pending.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            }
        }
    }

    private CollectorStatus CurrentStatus()
    {
        var loss = Volatile.Read(ref _loss);
        return new CollectorStatus
        {
            KernelLost = loss.KernelLost,
            SerialGaps = loss.SerialGaps,
            Malformed = loss.MalformedRecords,
            QueueDrops = loss.QueueDrops,
            // The dashboard's count covers everything the spool refused, execs and ends alike.
            SpoolDrops = Interlocked.Read(ref _spoolDrops) + Interlocked.Read(ref _endSpoolDrops),
            EventsPerSec = Volatile.Read(ref _eventsPerSec),
        };
    }

    private HubConnection BuildConnection(Uri server)
    {
        var token = _options.Token;
        var trust = _options.CaFile is { } caFile ? ServerCertificateTrust.Load(caFile) : null;
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(server, CollectorHubContract.Path), o =>
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                if (trust is not null)
                {
                    // Both transports verify: negotiation over HTTP, then the WebSocket.
                    o.HttpMessageHandlerFactory = handler =>
                    {
                        if (handler is HttpClientHandler client)
                        {
                            client.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
                                errors == System.Net.Security.SslPolicyErrors.None || trust.Validate(certificate, errors);
                        }

                        return handler;
                    };
                    o.WebSocketConfiguration = socket => socket.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                        errors == System.Net.Security.SslPolicyErrors.None || trust.Validate(certificate, errors);
                }
            });

        // Registered last, so the connection takes it over the default protocol.
        builder.Services.AddSingleton<IHubProtocol>(new CollectorHubProtocol(
            new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = HubSerializer }))));
        return builder.Build();
    }

    private static string Describe(Exception ex) => ex switch
    {
        HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized } =>
            "The dashboard refused the collector token (401): it is wrong, or was revoked from the dashboard's collector tokens file; check EXECDASH_COLLECTOR_TOKEN or the token file.",
        HttpRequestException http => $"Cannot reach the dashboard: {http.Message}",

        // SignalR's answer when the hub cannot read a call's argument: a dashboard older than
        // format 2 of the execs (see CompactExecs) meets this collector's batches.
        HubException hub when hub.Message.Contains("Error binding arguments", StringComparison.Ordinal) =>
            "The dashboard cannot read this collector's batches: it is older than the collector (it reads execs in format 1 only); upgrade the dashboard. The batches stay spooled until then.",
        _ => ex.Message,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to the dashboard at {Server}.")]
    private static partial void LogConnected(ILogger logger, Uri server);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard link down, will retry: {Reason}")]
    private static partial void LogLinkFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard at {Server} lost ({Reason}); switching to {Next}.")]
    private static partial void LogSwitching(ILogger logger, Uri server, string reason, Uri next);

    [LoggerMessage(Level = LogLevel.Error, Message = "The dashboard rejected batch {Seq}; dropped: {Reason}")]
    private static partial void LogRejected(ILogger logger, long seq, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spool full ({Cap} bytes): dropped a batch of {Count} events.")]
    private static partial void LogSpoolFull(ILogger logger, int count, long cap);
}
