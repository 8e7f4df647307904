using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Options;
using ExecDashboard.Collector.Output;
using ExecDashboard.Collector.Pipeline;

namespace ExecDashboard.Collector.Wiring;

/// <summary>Builds the stages of one run from the options: the only place that names concrete sources and engines.</summary>
internal interface ICollectorComposition
{
    IAuditRecordSource CreateSource(CollectorOptions options);

    IAuditStage CreateAuditStage(CollectorOptions options);

    /// <summary>For live sources: starts the fork/exit listener, then snapshots /proc, so no process falls between the two.</summary>
    Task<ILineageStage> CreateLineageAsync(CollectorOptions options, CancellationToken cancellationToken);

    IExecEventWriter CreateSink(OutputFormat format, Stream output);
}
