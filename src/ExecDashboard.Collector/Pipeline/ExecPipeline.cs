using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Output;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>
/// The one thread between the queue and the sink: records → audit stage → lineage → sink, in
/// arrival order. One thread because the assembler and the process table are ordered state; it
/// never blocks on anything but the queue, so the source's receive loop keeps up.
/// </summary>
internal sealed class ExecPipeline
{
    // Flush stdout at least this often under a storm, when the queue never runs empty.
    private const int MaxBatch = 512;

    // At most this much latency is added to let records gather into a batch. At a shell loop's
    // pace (about 1,000 execs/s) a 1 ms pause left each exec alone, and its wake-ups (one to block,
    // one to wake) cost more than the exec's parsing and output (measured with per-thread CPU and
    // context-switch counts). A pause only saves wake-ups while execs come faster than one per
    // pause, so on a busy machine, where the loop runs at a few hundred a second, 10 ms still
    // woke about once per exec; 20 ms against 40 ms, measured on such a loop at about 250 execs/s:
    // 0.21 against 0.11 context switches and about 100 against 80 µs of CPU per exec (this thread
    // and the receive thread). 40 ms gathers several execs per wake-up even then, and is a delay
    // of the order of the shipper's own batching (50 ms) and the dashboard's refresh (100 ms).
    private static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(40);

    // Records taken between two moments the queue ran dry from which on it is fed in bulk (a log
    // read ahead of this thread, or a storm of thousands a second): then the pause only idles
    // this thread while the queue refills in a millisecond or two and its writer waits for room.
    // Measured on a 300,000-exec replay into a dashboard (the file source's queue then held 4,096
    // records, a few milliseconds of work): with a 40 ms pause at every dry moment the replay
    // took 7.0-9.0 s of wall time on a busy machine, without it 4.7-6.1 s.
    private const int BulkRecords = 1024;

    // Records between two looks at the clock while the queue has more: reading it after every
    // record (clock_gettime) was 1.8% of this thread's samples in a 300,000-exec replay. The clock
    // is read too whenever the queue runs dry, so a trickle of records ticks on time; in bulk, 64
    // records (about nine execs) take well under a millisecond, nothing against a tick interval.
    private const int RecordsPerClockCheck = 64;

    private readonly IAuditStage _audit;
    private readonly ILineageStage _lineage;
    private readonly IExecEventWriter _sink;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _tickInterval;
    private readonly Action<ExecObservation> _emit;
    private readonly Action<ProcessEnd> _writeEnd;
    private long _records;
    private long _execs;
    private long _ends;
    private int _batch;
    private long _lastTick;

    public ExecPipeline(IAuditStage audit, ILineageStage lineage, IExecEventWriter sink, TimeProvider timeProvider, TimeSpan tickInterval)
    {
        _audit = audit;
        _lineage = lineage;
        _sink = sink;
        _timeProvider = timeProvider;
        _tickInterval = tickInterval;
        _emit = Emit;
        _writeEnd = WriteEnd;
    }

    public PipelineCounters Counters { get; } = new();

    /// <summary>Runs on a dedicated thread until the queue is completed and drained; completes then.</summary>
    public Task StartAsync(ChannelReader<RawAuditRecordBlock> reader)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(reader);
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        })
        {
            Name = "exec-pipeline",
            IsBackground = true,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>The loop itself; public to the assembly so tests can drive it on their own thread.</summary>
    internal void Run(ChannelReader<RawAuditRecordBlock> reader)
    {
        Task<bool>? waiting = null;
        var paused = false;
        var taken = 0;
        var untimed = 0;
        _lastTick = _timeProvider.GetTimestamp();
        while (true)
        {
            if (reader.TryRead(out var block))
            {
                paused = false;
                foreach (var record in block)
                {
                    taken++;
                    _records++;
                    _audit.Push(record, _emit);
                    if (_batch >= MaxBatch)
                    {
                        EndBatch();
                    }

                    if (++untimed == RecordsPerClockCheck)
                    {
                        untimed = 0;
                        TickIfDue();
                    }
                }

                // Every record was parsed (a parsed record owns a copy): the source may read into these bytes again.
                block.Release();
                continue;
            }

            EndBatch();
            untimed = 0;
            TickIfDue();
            var pause = ShouldPause(paused, taken);
            taken = 0;
            if (pause)
            {
                // Let a batch gather before blocking: in a storm the queue runs empty thousands of
                // times a second, and each blocking wait costs a spin, a futex sleep and a wake-up
                // (measured: the larger part of this thread's CPU). One short pause per idle moment
                // turns those into one wake-up per BatchPause; an idle collector still blocks.
                paused = true;
                Thread.Sleep(BatchPause);
                continue;
            }

            waiting ??= reader.WaitToReadAsync().AsTask();
            if (!waiting.Wait(_tickInterval))
            {
                Tick();
                continue;
            }

            var more = waiting.Result;
            waiting = null;
            if (!more)
            {
                break;
            }
        }

        _audit.Flush(_emit);
        EndBatch();
    }

    /// <summary>
    /// Whether to pause before blocking on an empty queue: not twice in a row (an idle collector
    /// blocks), and not when the queue came in bulk (<paramref name="taken"/> records since it last
    /// ran dry, see <see cref="BulkRecords"/>).
    /// </summary>
    internal static bool ShouldPause(bool paused, int taken) => !paused && taken < BulkRecords;

    private void TickIfDue()
    {
        if (_timeProvider.GetElapsedTime(_lastTick) >= _tickInterval)
        {
            Tick();
        }
    }

    private void Tick()
    {
        _audit.Tick(_timeProvider.GetUtcNow(), _emit);
        _lineage.TakeEnds(_writeEnd);
        EndBatch();
        _lastTick = _timeProvider.GetTimestamp();
    }

    private void Emit(ExecObservation observation)
    {
        _sink.Write(_lineage.Attach(observation));
        _execs++;
        _batch++;
        _lineage.TakeEnds(_writeEnd);
    }

    private void WriteEnd(ProcessEnd end)
    {
        _sink.WriteEnd(end);
        _ends++;
        _batch++;
    }

    private void EndBatch()
    {
        if (_batch > 0)
        {
            _sink.Flush();
            _batch = 0;
        }

        Counters.Publish(_records, _execs, _ends, _audit.MalformedRecords, _audit.SerialGaps);
    }
}
