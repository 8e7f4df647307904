using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Collector.Wiring;

/// <summary>The audit pipeline (parser, assembler, mapper) as the collector's first stage.</summary>
internal sealed class AuditStage : IAuditStage
{
    private readonly AuditExecPipeline _pipeline;
    private Action<ExecObservation> _emit = static _ => { };

    public AuditStage(string hostName, TimeProvider timeProvider) =>
        _pipeline = new AuditExecPipeline(hostName, new EventAssemblerOptions(), timeProvider, exec => _emit(exec));

    public long MalformedRecords => _pipeline.MalformedRecords;

    public long SerialGaps => _pipeline.SerialGaps;

    public void Push(RawAuditRecord record, Action<ExecObservation> emit)
    {
        _emit = emit;
        _pipeline.Push(record);
    }

    public void Tick(DateTimeOffset now, Action<ExecObservation> emit)
    {
        _emit = emit;
        _pipeline.Tick(now);
    }

    public void Flush(Action<ExecObservation> emit)
    {
        _emit = emit;
        _pipeline.Flush();
    }
}
