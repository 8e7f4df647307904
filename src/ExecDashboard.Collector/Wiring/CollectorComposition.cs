using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Options;
using ExecDashboard.Collector.Output;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Sources.Files;

namespace ExecDashboard.Collector.Wiring;

/// <summary>The concrete stages for a run.</summary>
internal sealed class CollectorComposition(TimeProvider timeProvider) : ICollectorComposition
{
    public IAuditRecordSource CreateSource(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Source switch
        {
            SourceKind.File => new AuditLogFileSource(options.File!, options.Follow, timeProvider),
            _ => throw new AuditSourceException("The netlink source is not part of this build yet."),
        };
    }

    public IAuditStage CreateAuditStage(CollectorOptions options) =>
        throw new AuditSourceException("The audit pipeline is not part of this build yet.");

    public Task<ILineageStage> CreateLineageAsync(CollectorOptions options, CancellationToken cancellationToken) =>
        throw new AuditSourceException("The lineage engine is not part of this build yet.");

    public IExecEventSink CreateSink(OutputFormat format, Stream output) => format switch
    {
        OutputFormat.Text => new TextExecEventSink(output, e => $"{e.Exec.Exe}({e.Exec.Pid})[{string.Join(' ', e.Exec.Argv.Skip(1))}]"),
        _ => new JsonLinesExecEventSink(output),
    };
}
