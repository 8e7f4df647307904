using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>
/// Adds up what was lost during this run from the source's and the pipeline's counters. The
/// kernel's <c>lost</c> counter is cumulative since boot (audit_status.lost in
/// include/uapi/linux/audit.h), so the first value seen is the baseline.
/// </summary>
internal sealed class LossAccount(AuditSourceCounters source, PipelineCounters pipeline, Func<long>? endQueueDrops = null)
{
    private long? _kernelLostAtStart;

    public LossReport Current()
    {
        var kernelLost = source.KernelLost;
        if (kernelLost is { } lost)
        {
            _kernelLostAtStart ??= lost;
        }

        return new LossReport
        {
            KernelLost = kernelLost - _kernelLostAtStart,
            SerialGaps = pipeline.SerialGaps,
            MalformedRecords = pipeline.MalformedRecords,
            QueueDrops = source.QueueDrops,
            EndQueueDrops = endQueueDrops?.Invoke() ?? 0,
        };
    }

    public static bool HasLoss(LossReport report) =>
        report.KernelLost > 0 || report.SerialGaps > 0 || report.MalformedRecords > 0 || report.QueueDrops > 0 || report.EndQueueDrops > 0;

    public static string Describe(LossReport report) =>
        $"kernel lost {(report.KernelLost is { } k ? k.ToString(System.Globalization.CultureInfo.InvariantCulture) : "n/a")}, " +
        $"serial gaps {report.SerialGaps}, malformed records {report.MalformedRecords}, queue drops {report.QueueDrops}, process ends dropped {report.EndQueueDrops}";
}
