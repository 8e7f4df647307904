using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Analytics;

namespace ExecDashboard.Benchmarks.Ingest;

/// <summary>The dashboard's analytics, with the thread CPU spent observing counted.</summary>
[SupportedOSPlatform("linux")]
internal sealed class TimedAnalytics(IExecAnalytics analytics) : ForwardingExecAnalytics
{
    public long Nanoseconds { get; set; }

    private protected override IExecAnalytics Answers => analytics;

    public override void Observe(IReadOnlyList<ExecEvent> events)
    {
        var start = ThreadCpu.Nanoseconds();
        analytics.Observe(events);
        Nanoseconds += ThreadCpu.Nanoseconds() - start;
    }
}
