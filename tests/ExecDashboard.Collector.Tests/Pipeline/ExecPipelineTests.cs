using System.Text;
using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Output;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Collector.Tests.Output;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Tests.Pipeline;

public sealed class ExecPipelineTests
{
    [Fact]
    public async Task Passes_each_exec_through_lineage_to_the_sink_in_order_and_flushes_pending_events_at_the_end()
    {
        var audit = new OneExecPerRecordStage(emitOnFirstTick: false);
        var sink = new RecordingSink();
        var pipeline = new ExecPipeline(audit, new SerialAsPidLineage(), sink, TimeProvider.System, TimeSpan.FromMilliseconds(50));
        var queue = Channel.CreateBounded<RawAuditRecord>(16);

        var done = pipeline.StartAsync(queue.Reader);
        for (var i = 1; i <= 100; i++)
        {
            await queue.Writer.WriteAsync(new RawAuditRecord(1300, Encoding.ASCII.GetBytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
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
    public async Task Ticks_the_audit_stage_while_the_queue_is_idle_and_flushes_what_the_tick_completed()
    {
        var audit = new OneExecPerRecordStage(emitOnFirstTick: true);
        var sink = new RecordingSink();
        var pipeline = new ExecPipeline(audit, new SerialAsPidLineage(), sink, TimeProvider.System, TimeSpan.FromMilliseconds(20));
        var queue = Channel.CreateBounded<RawAuditRecord>(16);

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

    private sealed class OneExecPerRecordStage(bool emitOnFirstTick) : IAuditStage
    {
        private ulong _serial;

        public bool Flushed { get; private set; }

        public int Ticks { get; private set; }

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

        public void WriteEnd(ProcessEnd end) => _unflushed++;

        public void Flush() => _unflushed = 0;
    }
}
