using System.Text;
using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Output;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Collector.Tests.Output;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Collector.Tests.Pipeline;

public sealed class ExecPipelineTests
{
    [Fact]
    public async Task Passes_each_exec_through_lineage_to_the_sink_in_order_and_flushes_pending_events_at_the_end()
    {
        var audit = new OneExecPerRecordStage(emitOnFirstTick: false);
        var sink = new RecordingSink();
        var pipeline = new ExecPipeline(audit, new SerialAsPidLineage(), sink, TimeProvider.System, TimeSpan.FromMilliseconds(50));
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(16);

        var done = pipeline.StartAsync(queue.Reader);
        for (var i = 1; i <= 100; i++)
        {
            await queue.Writer.WriteAsync(RawAuditRecordBlock.Of(new RawAuditRecord(1300, Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        }

        queue.Writer.Complete();
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(1, 101), sink.Pids); // the 101st came from Flush
        Assert.True(audit.Flushed);
        Assert.True(sink.FlushedAfterLast);
        Assert.Equal(100, pipeline.Counters.Records);
        Assert.Equal(101, pipeline.Counters.Execs);
        Assert.Equal(7, pipeline.Counters.MalformedRecords);
    }

    [Fact]
    public async Task Releases_each_block_of_lines_once_after_pushing_its_last_record()
    {
        var audit = new OneExecPerRecordStage(emitOnFirstTick: false);
        var pipeline = new ExecPipeline(audit, new SerialAsPidLineage(), new RecordingSink(), TimeProvider.System, TimeSpan.FromMilliseconds(50));
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(16);
        var leases = Enumerable.Range(0, 10).Select(_ => new CountingLease(audit)).ToList();

        var done = pipeline.StartAsync(queue.Reader);
        foreach (var lease in leases)
        {
            await queue.Writer.WriteAsync(RawAuditRecordBlock.OfLogLines("type=A msg=1\ntype=B msg=2\ntype=C msg=3\n"u8.ToArray(), lease));
        }

        queue.Writer.Complete();
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(leases, lease => Assert.Equal(1, lease.Releases));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => 3 * i), leases.Select(lease => lease.PushesAtRelease));
    }

    [Fact]
    public async Task Ticks_the_audit_stage_while_the_queue_is_idle_and_flushes_what_the_tick_completed()
    {
        var audit = new OneExecPerRecordStage(emitOnFirstTick: true);
        var sink = new RecordingSink();
        var pipeline = new ExecPipeline(audit, new SerialAsPidLineage(), sink, TimeProvider.System, TimeSpan.FromMilliseconds(20));
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(16);

        var done = pipeline.StartAsync(queue.Reader);
        while (audit.Ticks < 3)
        {
            await Task.Delay(10);
        }

        queue.Writer.Complete();
        await done.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(audit.Ticks >= 3);
        Assert.Contains(-1, sink.Pids);
    }

    [Fact]
    public async Task Ticks_when_due_while_a_trickle_of_records_keeps_the_queue_from_staying_idle()
    {
        // The interval never passes on the real clock, so only records can bring the ticks: the
        // clock is read when the queue runs dry, not only every so many records.
        var time = new FakeTimeProvider();
        var interval = TimeSpan.FromHours(1);
        var audit = new OneExecPerRecordStage(emitOnFirstTick: false);
        var pipeline = new ExecPipeline(audit, new SerialAsPidLineage(), new RecordingSink(), time, interval);
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(16);

        var done = pipeline.StartAsync(queue.Reader);
        await queue.Writer.WriteAsync(RawAuditRecordBlock.Of(new RawAuditRecord(1300, "1"u8.ToArray())));
        await WaitForAsync(() => audit.Pushes == 1); // the loop runs and has read the clock
        for (var tick = 1; tick <= 3; tick++)
        {
            time.Advance(interval);
            await queue.Writer.WriteAsync(RawAuditRecordBlock.Of(new RawAuditRecord(1300, "1"u8.ToArray())));
            await WaitForAsync(() => audit.Ticks >= tick);
            Assert.Equal(tick, audit.Ticks);
        }

        queue.Writer.Complete();
        await done.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(4, pipeline.Counters.Records);
    }

    [Fact]
    public async Task Counts_the_process_ends_it_writes_and_reports_the_ends_lineage_lost_with_the_other_losses()
    {
        var audit = new OneExecPerRecordStage(emitOnFirstTick: false);
        var sink = new RecordingSink();
        var lineage = new EveryOtherExecEndsLineage { EndQueueDrops = 4 };
        var pipeline = new ExecPipeline(audit, lineage, sink, TimeProvider.System, TimeSpan.FromMilliseconds(50));
        var losses = new LossAccount(new AuditSourceCounters(), pipeline.Counters, () => lineage.EndQueueDrops);
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(16);

        var done = pipeline.StartAsync(queue.Reader);
        for (var i = 1; i <= 10; i++)
        {
            await queue.Writer.WriteAsync(RawAuditRecordBlock.Of(new RawAuditRecord(1300, Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))));
        }

        queue.Writer.Complete();
        await done.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(11, pipeline.Counters.Execs);
        Assert.Equal(5, sink.Ends);
        Assert.Equal(5, pipeline.Counters.Ends);
        var report = losses.Current();
        Assert.Equal(4, report.EndQueueDrops);
        Assert.True(LossAccount.HasLoss(report with { MalformedRecords = 0 }));
        Assert.EndsWith("process ends dropped 4", LossAccount.Describe(report), StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }
    }

    /// <summary>Counts releases and how many records the stage had been given at the last one.</summary>
    private sealed class CountingLease(OneExecPerRecordStage audit) : IRecordBlockLease
    {
        public int Releases { get; private set; }

        public int PushesAtRelease { get; private set; }

        public void Release()
        {
            Releases++;
            PushesAtRelease = audit.Pushes;
        }
    }

    private sealed class OneExecPerRecordStage(bool emitOnFirstTick) : IAuditStage
    {
        private ulong _serial;

        public bool Flushed { get; private set; }

        public int Ticks { get; private set; }

        public int Pushes => (int)_serial;

        public long MalformedRecords => 7;

        public long SerialGaps => 0;

        public void Push(RawAuditRecord record, Action<ExecObservation> emit) => emit(Observation(++_serial));

        public void Tick(DateTimeOffset now, Action<ExecObservation> emit)
        {
            if (Ticks++ == 0 && emitOnFirstTick)
            {
                emit(Observation(ulong.MaxValue));
            }
        }

        public void Flush(Action<ExecObservation> emit)
        {
            Flushed = true;
            emit(Observation(++_serial));
        }

        private static ExecObservation Observation(ulong serial) => SampleEvents.Expr.Build().Exec with { Serial = serial };
    }

    private sealed class SerialAsPidLineage : ILineageStage
    {
        public ExecEvent Attach(ExecObservation observation) => SampleEvents.Expr.Build() with { Exec = observation with { Pid = (int)observation.Serial } };

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>Every second exec's process ends as soon as the exec is written.</summary>
    private sealed class EveryOtherExecEndsLineage : ILineageStage
    {
        private readonly Queue<ProcessEnd> _ended = new();
        private int _attached;

        public long EndQueueDrops { get; init; }

        public ExecEvent Attach(ExecObservation observation)
        {
            var execEvent = SampleEvents.Expr.Build() with { Exec = observation };
            if (++_attached % 2 == 0)
            {
                _ended.Enqueue(new ProcessEnd { Process = execEvent.Process, Started = observation.Time, Time = observation.Time.AddSeconds(1), Status = ExitStatus.Exited(1) });
            }

            return execEvent;
        }

        public void TakeEnds(Action<ProcessEnd> ended)
        {
            while (_ended.TryDequeue(out var end))
            {
                ended(end);
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class RecordingSink : IExecEventWriter
    {
        private int _unflushed;

        public List<int> Pids { get; } = [];

        public bool FlushedAfterLast => _unflushed == 0;

        public void Write(ExecEvent execEvent)
        {
            Pids.Add(execEvent.Exec.Pid);
            _unflushed++;
        }

        public int Ends { get; private set; }

        public void WriteEnd(ProcessEnd end)
        {
            Ends++;
            _unflushed++;
        }

        public void Flush() => _unflushed = 0;
    }

    [Theory]
    [InlineData(false, 3, true)] // a trickle: let more gather before blocking
    [InlineData(false, 1023, true)]
    [InlineData(false, 1024, false)] // fed in bulk (a log read ahead): block, woken as soon as more comes
    [InlineData(false, 4096, false)]
    [InlineData(true, 0, false)] // paused already and nothing came: block
    public void Pauses_before_blocking_only_after_a_trickle_of_records(bool paused, int taken, bool expected)
    {
        Assert.Equal(expected, ExecPipeline.ShouldPause(paused, taken));
    }
}
