using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Hosting;
using ExecDashboard.Collector.Options;
using ExecDashboard.Collector.Output;
using ExecDashboard.Shipping;
using ExecDashboard.Collector.Wiring;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>
/// One run of the collector: source → bounded queue → pipeline thread → stdout, plus loss
/// reports. Ends when the source ends (a file that is not followed), fails, or the host stops
/// (Ctrl-C, SIGTERM); the source is always disposed, which for netlink removes our audit rules.
/// </summary>
internal sealed partial class CollectorWorker(
    IOptions<CollectorOptions> options,
    ICollectorComposition composition,
    CollectorOutcome outcome,
    IHostApplicationLifetime lifetime,
    TimeProvider timeProvider,
    ILogger<CollectorWorker> logger,
    ILogger<DashboardShipper> shipperLogger) : BackgroundService
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ShutdownDrainTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ReplayWatchInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CompletionPollInterval = TimeSpan.FromMilliseconds(50);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (and tell systemd) before the run takes over.
        await Task.Yield();
        try
        {
            await RunAsync(stoppingToken);
        }
        catch (AuditSourceException e)
        {
            LogFailureDetails(logger, e);
            outcome.Fail(e.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped by the host.
        }
        catch (Exception e)
        {
            LogFailureDetails(logger, e);
            outcome.Fail($"The collector failed unexpectedly ({e.GetType().Name}: {e.Message}).");
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var format = settings.ResolveOutput(stdoutIsTerminal: !Console.IsOutputRedirected);
        var (shipping, shippingError) = DashboardTarget.Resolve(settings);
        if (shippingError is not null)
        {
            outcome.Fail(shippingError);
            return;
        }

        // Opening the hub connection (negotiation, WebSocket, handshake) is the longest part of a
        // start: begun first, it runs while the source, the lineage and the pipeline start. Measured
        // on a 1-exec replay into a dashboard, the connection was still opening when the first batch
        // had been spooled. A source that then fails to start disposes the shipper with it.
        await using var shipper = shipping is null ? null : new DashboardShipper(shipping, timeProvider, shipperLogger);

        // Not Console.OpenStandardOutput(): that stream ignores EPIPE, so `collector | head` would
        // run on forever writing into nothing. A FileStream on fd 1 reports it as an IOException.
        await using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(new BoundedChannelOptions(settings.QueueBlocks)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,

            // The pipeline thread blocks on the wait task; completing it on the writer's thread
            // wakes it directly instead of through a thread-pool hop per wake-up (measured: the
            // hop cost about a fifth of the collector's CPU in an exec storm).
            AllowSynchronousContinuations = true,
        });

        await using var source = composition.CreateSource(settings);

        // A source sets itself up (rules, registration, opening the file) before its first await,
        // so a failure (no privilege, unreadable log) surfaces here, before the pipeline starts.
        var running = source.RunAsync(queue.Writer, stop.Token);
        if (running.IsFaulted)
        {
            await running;
        }

        // Records wait in the queue while the process table is seeded from /proc.
        await using var lineage = await composition.CreateLineageAsync(settings, stop.Token);
        // Cancelled only when a replay gives up on the dashboard: frees the pipeline thread from
        // waiting for room in the shipper's queue.
        using var abandon = new CancellationTokenSource();
        var sink = CreateSink(format, stdout, shipper, abandon.Token);
        try
        {
            var pipeline = new ExecPipeline(composition.CreateAuditStage(settings), lineage, sink, timeProvider, TickInterval);
            var losses = new LossAccount(source.Counters, pipeline.Counters, () => lineage.EndQueueDrops);
            var pipelineDone = pipeline.StartAsync(queue.Reader);

            // If the pipeline dies (stdout closed, a bug), stop the source too, so it is disposed.
            _ = pipelineDone.ContinueWith(_ => stop.Cancel(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

            LogReady(logger, source.Name, format);
            var reporting = ReportLossesAsync(losses, settings.StatsInterval, stop.Token);
            var lossShipping = shipper is null ? Task.CompletedTask : ShipLossesAsync(shipper, losses, stop.Token);

            // A replay (a log file, not followed) ends when the dashboard has stored all of it.
            var replay = shipper is not null && settings.Source == SourceKind.File && !settings.Follow;
            using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var progress = replay ? ReportReplayProgressAsync(shipper!, pipeline.Counters, progressStop.Token) : Task.CompletedTask;
            var watching = replay ? WatchReplayAsync(shipper!, pipeline.Counters, abandon, stop) : Task.CompletedTask;
            try
            {
                await running;
            }
            finally
            {
                queue.Writer.TryComplete();
                await stop.CancelAsync();
                await reporting;
                await lossShipping;
                await watching;
                await AwaitPipelineAsync(pipelineDone, abandon.Token);
                if (shipper is not null)
                {
                    shipper.ReportLoss(losses.Current());
                    if (!replay)
                    {
                        await DrainShipperAsync(shipper);
                    }
                    else if (!abandon.IsCancellationRequested)
                    {
                        // (A replay the watch gave up on has said why already.)
                        await CompleteReplayAsync(shipper, pipeline.Counters, stoppingToken);
                    }
                }

                await progressStop.CancelAsync();
                await progress;

                if (shipper is not null)
                {
                    var shipped = shipper.Status;
                    LogShipped(logger, shipped.EventsAcknowledged, shipped.EventsAccepted, shipped.SpoolDrops, shipped.EndsAcknowledged, shipped.EndsAccepted, shipped.EndSpoolDrops);
                }

                LogStopped(logger, pipeline.Counters.Records, pipeline.Counters.Execs, pipeline.Counters.Ends, LossAccount.Describe(losses.Current()));
            }
        }
        finally
        {
            (sink as IDisposable)?.Dispose();
        }
    }

    private IExecEventWriter CreateSink(OutputFormat format, Stream stdout, DashboardShipper? shipper, CancellationToken abandoned)
    {
        var sinks = new List<IExecEventWriter>(2);
        if (format != OutputFormat.None)
        {
            sinks.Add(composition.CreateSink(format, stdout));
        }

        if (shipper is not null)
        {
            sinks.Add(new DashboardExecEventSink(shipper, abandoned));
        }

        return sinks.Count == 1 ? sinks[0] : new TeeExecEventSink(sinks);
    }

    /// <summary>The dashboard shows each collector's loss counters live, so they travel every second, not at the log's pace.</summary>
    private async Task ShipLossesAsync(DashboardShipper shipper, LossAccount losses, CancellationToken cancellationToken)
    {
        using var ticks = new StoppableTicks(TimeSpan.FromSeconds(1), timeProvider, cancellationToken);
        while (await ticks.WaitForNextTickAsync())
        {
            shipper.ReportLoss(losses.Current());
        }
    }

    /// <summary>
    /// Waits until the dashboard acknowledged every event of the replay. Gives up, in one sentence
    /// and with a failing exit status, when it refused batches or acknowledged nothing for
    /// <see cref="AcknowledgementPatience.Limit"/>; whatever is unacknowledged stays in the spool.
    /// </summary>
    private async Task CompleteReplayAsync(DashboardShipper shipper, PipelineCounters counters, CancellationToken stoppingToken)
    {
        var patience = new AcknowledgementPatience(timeProvider);
        while (true)
        {
            // Taken before the look at the status: an acknowledgement after it completes this task.
            var acknowledged = shipper.NextAcknowledgement;
            var status = shipper.Status;
            if (status.Drained)
            {
                break;
            }

            if (patience.RunsOut(status, waiting: true))
            {
                FailUnacknowledged(status, counters, readWhole: true);
                return;
            }

            // Woken by the acknowledgement that may have drained the spool, not only by the clock:
            // polling alone found the drained spool 25 ms after it on average (half the period),
            // the larger part of a short replay's time from its last acknowledgement to its exit.
            await Task.WhenAny(acknowledged, Task.Delay(CompletionPollInterval, timeProvider, stoppingToken));
            if (stoppingToken.IsCancellationRequested)
            {
                LogUnshipped(logger, shipper.Status.ToString() ?? string.Empty);
                return;
            }
        }

        var final = shipper.Status;
        LogReplayProgress(logger, counters.Execs, final.EventsAcknowledged, 0);
        if (final.RejectedBatches > 0 || final.SpoolDrops > 0)
        {
            outcome.Fail($"The dashboard refused {final.RejectedBatches} batches ({final.RejectedEvents} events) of this replay and {final.SpoolDrops} events did not fit the spool; the last reason: {final.LastError ?? "none given"}.");
        }
    }

    /// <summary>
    /// While a replay still reads, gives up when the dashboard acknowledged nothing for
    /// <see cref="AcknowledgementPatience.Limit"/> while batches wait for it (a dashboard gone, or one that cannot
    /// read them): a replay's spool holds a few batches only, so the reading would otherwise wait
    /// for room for ever. Stops the reading and frees the pipeline; what was spooled stays.
    /// </summary>
    private async Task WatchReplayAsync(DashboardShipper shipper, PipelineCounters counters, CancellationTokenSource abandon, CancellationTokenSource stop)
    {
        var patience = new AcknowledgementPatience(timeProvider);
        try
        {
            while (true)
            {
                await Task.Delay(ReplayWatchInterval, timeProvider, stop.Token);
                var status = shipper.Status;
                if (patience.RunsOut(status, waiting: status.PendingBatches > 0))
                {
                    FailUnacknowledged(status, counters, readWhole: false);
                    await abandon.CancelAsync();
                    await stop.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The reading is over; CompleteReplayAsync waits for the rest.
        }
    }

    private void FailUnacknowledged(ShippingStatus status, PipelineCounters counters, bool readWhole)
    {
        var waiting = status.EventsAccepted - status.EventsAcknowledged - status.RejectedEvents - status.SpoolDrops;
        var patience = $"The dashboard acknowledged nothing for {AcknowledgementPatience.Limit.TotalSeconds:F0} s ({status.LastError ?? "no answer"})";
        outcome.Fail(readWhole
            ? $"{patience}; {waiting} of {counters.Execs} events stay in the spool and are sent on the next start."
            : $"{patience}, so the replay stopped after reading {status.EventsAccepted} events; those that fit the spool stay there and are sent on the next start; replay the log again for the rest (what the dashboard already has is not stored twice).");
    }

    /// <summary>A replay says how far it is every second: events read, acknowledged, and the acknowledgement rate.</summary>
    private async Task ReportReplayProgressAsync(DashboardShipper shipper, PipelineCounters counters, CancellationToken cancellationToken)
    {
        using var ticks = new StoppableTicks(ProgressInterval, timeProvider, cancellationToken);
        var previous = 0L;
        var since = timeProvider.GetTimestamp();
        while (await ticks.WaitForNextTickAsync())
        {
            var acknowledged = shipper.Status.EventsAcknowledged;
            var rate = (acknowledged - previous) / timeProvider.GetElapsedTime(since).TotalSeconds;
            LogReplayProgress(logger, counters.Execs, acknowledged, rate);
            previous = acknowledged;
            since = timeProvider.GetTimestamp();
        }
    }

    /// <summary>Gives the dashboard a moment to acknowledge the last events; what it does not stays in the spool for the next start.</summary>
    private async Task DrainShipperAsync(DashboardShipper shipper)
    {
        using var patience = new CancellationTokenSource(ShutdownDrainTimeout, timeProvider);
        try
        {
            await shipper.FlushAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            LogUnshipped(logger, shipper.Status.ToString() ?? string.Empty);
        }
    }

    private async Task AwaitPipelineAsync(Task pipelineDone, CancellationToken abandoned)
    {
        try
        {
            await pipelineDone;
        }
        catch (OperationCanceledException) when (abandoned.IsCancellationRequested)
        {
            // A replay gave up on the dashboard while the pipeline waited for room.
        }
        catch (IOException e)
        {
            // Whoever read our output went away (`| head`): a normal way to stop.
            LogOutputClosed(logger, e.Message);
        }
    }

    private async Task ReportLossesAsync(LossAccount losses, TimeSpan interval, CancellationToken cancellationToken)
    {
        using var ticks = new StoppableTicks(interval, timeProvider, cancellationToken);
        var last = losses.Current();
        while (await ticks.WaitForNextTickAsync())
        {
            var now = losses.Current();
            if (now != last && LossAccount.HasLoss(now))
            {
                LogLosses(logger, LossAccount.Describe(now));
            }

            last = now;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Collector ready: source {Source}, output {Output}.")]
    private static partial void LogReady(ILogger logger, string source, OutputFormat output);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Events lost so far: {Losses}.")]
    private static partial void LogLosses(ILogger logger, string losses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Collector stopped: {Records} records, {Execs} execs, {Ends} process ends; {Losses}.")]
    private static partial void LogStopped(ILogger logger, long records, long execs, long ends, string losses);

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard acknowledged {Execs} of {ExecsShipped} execs ({ExecSpoolDrops} did not fit the spool) and {Ends} of {EndsShipped} process ends ({EndSpoolDrops} did not fit the spool).")]
    private static partial void LogShipped(ILogger logger, long execs, long execsShipped, long execSpoolDrops, long ends, long endsShipped, long endSpoolDrops);

    [LoggerMessage(Level = LogLevel.Information, Message = "Standard output was closed ({Reason}); stopping.")]
    private static partial void LogOutputClosed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay: {Read} events read, {Acknowledged} acknowledged by the dashboard, {PerSecond:F0} events/s.")]
    private static partial void LogReplayProgress(ILogger logger, long read, long acknowledged, double perSecond);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopping before the dashboard acknowledged everything; the rest stays in the spool and is sent on the next start ({Status}).")]
    private static partial void LogUnshipped(ILogger logger, string status);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Failure details.")]
    private static partial void LogFailureDetails(ILogger logger, Exception exception);
}
