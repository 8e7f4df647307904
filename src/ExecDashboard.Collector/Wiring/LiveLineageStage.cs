using System.Diagnostics;
using System.Threading.Channels;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Proc;
using Microsoft.Extensions.Logging;

namespace ExecDashboard.Collector.Wiring;

/// <summary>
/// Lineage for a live source: the process table seeded from a /proc snapshot and kept exact by
/// the proc connector's fork/exit events, drained before each exec is attached. The start time
/// of the exec'ing process (what tells a reused PID from the process that had it before) comes
/// from its fork event, or is read from /proc as the exec arrives when no fork event told it. Forks are held back until they matter
/// (<see cref="LifecycleOrdering"/>), so they never overtake their parent's exec.
/// </summary>
internal sealed partial class LiveLineageStage : ILineageStage
{
    // Fork/exit events between two execs; a storm of forks without execs beyond this is dropped and counted by the connector.
    private const int LifecycleQueueCapacity = 1 << 16;

    private readonly ProcessTable _table;
    private readonly ChannelReader<ProcessLifecycleEvent> _lifecycle;
    private readonly ProcConnectorSource? _connector;
    private readonly LifecycleOrdering _ordering;
    private readonly Queue<ProcessEnd> _ended;

    // btime (the clock's boot time) has whole seconds, so ends, on that clock, would lie up to a
    // second before the execs (audit's wall clock) they follow. Their instants are moved by the
    // difference to the boot time CLOCK_MONOTONIC gives (the proc connector's own clock); durations
    // are differences on one clock and need no correction.
    private readonly TimeSpan _endClockCorrection;

    private readonly ILogger _logger;
    private long _startReads;

    private LiveLineageStage(ProcessTable table, Queue<ProcessEnd> ended, ChannelReader<ProcessLifecycleEvent> lifecycle, ProcConnectorSource? connector, ILogger logger, TimeProvider timeProvider)
    {
        _ended = ended;
        _endClockCorrection = MonotonicBootTime() - table.Clock.BootTime;
        if (_endClockCorrection < TimeSpan.Zero || _endClockCorrection > TimeSpan.FromSeconds(2))
        {
            _endClockCorrection = TimeSpan.Zero; // suspended since boot, or a clock step: btime is the better guess
        }

        _ordering = new LifecycleOrdering(table, timeProvider);
        _logger = logger;
        _table = table;
        _lifecycle = lifecycle;
        _connector = connector;
    }

    /// <summary>Subscribes to fork/exit first, then reads /proc, so no process falls between the two.</summary>
    public static LiveLineageStage Start(ILogger logger, TimeProvider timeProvider)
    {
        var clock = BootIdentity.CreateClock();
        var lifecycle = Channel.CreateBounded<ProcessLifecycleEvent>(new BoundedChannelOptions(LifecycleQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
        });
        if (!ProcConnectorSource.TryStart(lifecycle.Writer, clock, reason => LogConnectorFailed(logger, reason), out var connector, out var unavailable))
        {
            LogConnectorUnavailable(logger, unavailable ?? "unknown reason");
        }

        // The table reports ends while it applies lifecycle events, some of them in the middle of
        // attaching an exec; they wait here until the exec has been written (TakeEnds).
        var ended = new Queue<ProcessEnd>();
        var table = new ProcessTable(clock, ended: ended.Enqueue);
        var snapshot = new ProcSnapshotReader().Read();
        table.Seed(snapshot.Entries);
        LogSnapshot(logger, snapshot.Entries.Count, clock.Boot);
        return new LiveLineageStage(table, ended, lifecycle.Reader, connector, logger, timeProvider);
    }

    public ExecEvent Attach(ExecObservation observation)
    {
        DrainLifecycle();

        // /proc/PID/stat is read only when the connector has not told us this process's start:
        // a read per exec cost a large share of the collector's CPU in an exec storm. A known
        // start with the exec's ppid is the same process (a reused PID would have a new fork
        // event, drained above, and almost surely another parent); anything else is measured.
        long? startTicks = null;
        if (!KnowsStart(observation) && _connector is not null && _connector.ReadPending())
        {
            // The fork was sent before the exec began, so it waits in the connector's socket
            // (its reader pauses between reads): a few non-blocking receives cost less than /proc.
            DrainLifecycle();
        }

        if (!KnowsStart(observation))
        {
            _startReads++;
            startTicks = ProcStat.TryReadStartTicks(observation.Pid, out var ticks, out _) ? ticks : null;
        }

        _ordering.BeforeExec(observation.Pid, startTicks);
        var execEvent = _table.Attach(observation, startTicks);
        _ordering.AfterExec();
        return execEvent;
    }

    public long EndQueueDrops => _connector?.DroppedExits ?? 0;

    public void TakeEnds(Action<ProcessEnd> ended)
    {
        // Cheap when nothing ended (the storm path): an empty channel, a peek at the held exits.
        DrainLifecycle();
        _ordering.ReleaseExpired();
        while (_ended.TryDequeue(out var end))
        {
            ended(end with { Started = end.Started + _endClockCorrection, Time = end.Time + _endClockCorrection });
        }
    }

    private bool KnowsStart(ExecObservation observation) =>
        _ordering.HoldsFork(observation.Pid, observation.Ppid) || _table.KnowsMeasuredStart(observation.Pid, observation.Ppid);

    private static DateTimeOffset MonotonicBootTime() =>
        DateTimeOffset.UtcNow - TimeSpan.FromSeconds(Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);

    private void DrainLifecycle()
    {
        while (_lifecycle.TryRead(out var lifecycle))
        {
            _ordering.Add(lifecycle);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_connector is { } connector)
        {
            connector.Dispose();
            LogLifecycle(_logger, connector.Forks, connector.Exits, connector.Overruns, connector.Dropped, connector.Malformed, _startReads);
        }

        return ValueTask.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}")]
    private static partial void LogConnectorUnavailable(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Process events stopped: {Reason}")]
    private static partial void LogConnectorFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Process events: {Forks} forks, {Exits} exits; lost: {Overruns} receive overruns, {Dropped} dropped, {Malformed} malformed; {StartReads} exec starts read from /proc (no fork event yet).")]
    private static partial void LogLifecycle(ILogger logger, long forks, long exits, long overruns, long dropped, long malformed, long startReads);

    [LoggerMessage(Level = LogLevel.Information, Message = "Read {Processes} running processes from /proc (boot {Boot}).")]
    private static partial void LogSnapshot(ILogger logger, int processes, string boot);
}
