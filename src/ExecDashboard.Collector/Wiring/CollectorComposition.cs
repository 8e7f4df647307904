using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Options;
using ExecDashboard.Collector.Output;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Files;
using ExecDashboard.Sources.Netlink;
using Microsoft.Extensions.Logging;

namespace ExecDashboard.Collector.Wiring;

/// <summary>The concrete stages for a run.</summary>
internal sealed partial class CollectorComposition(TimeProvider timeProvider, ILoggerFactory loggers) : ICollectorComposition
{
    public IAuditRecordSource CreateSource(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Source switch
        {
            SourceKind.File => new AuditLogFileSource(options.File!, options.Follow, timeProvider),
            _ => new NetlinkAuditSource(
                new NetlinkAuditSourceOptions
                {
                    RuleKey = options.Key,
                    Warn = reason => LogSourceWarning(loggers.CreateLogger<NetlinkAuditSource>(), reason),
                },
                timeProvider),
        };
    }

    public IAuditStage CreateAuditStage(CollectorOptions options) => new AuditStage(Environment.MachineName, timeProvider);

    public Task<ILineageStage> CreateLineageAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ILineageStage stage = options.Source == SourceKind.File
            ? new ReplayLineageStage(Path.GetFileName(options.File!), options.ReplayProcesses)
            : LiveLineageStage.Start(loggers.CreateLogger<LiveLineageStage>(), timeProvider);
        return Task.FromResult(stage);
    }

    public IExecEventWriter CreateSink(OutputFormat format, Stream output) => format switch
    {
        OutputFormat.Text => new TextExecEventSink(output, LineageText.Format),
        _ => new JsonLinesExecEventSink(output),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Reason}")]
    private static partial void LogSourceWarning(ILogger logger, string reason);
}
