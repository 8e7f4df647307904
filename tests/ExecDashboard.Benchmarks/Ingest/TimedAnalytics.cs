using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Web.Analytics;

namespace ExecDashboard.Benchmarks.Ingest;

/// <summary>The dashboard's analytics, with the thread CPU spent observing counted.</summary>
[SupportedOSPlatform("linux")]
internal sealed class TimedAnalytics(IExecAnalytics analytics) : IExecAnalytics
{
    public long Nanoseconds { get; set; }

    public DateTimeOffset Now => analytics.Now;

    public TimeRange? Recorded => analytics.Recorded;

    public void Observe(IReadOnlyList<ExecEvent> events)
    {
        var start = ThreadCpu.Nanoseconds();
        analytics.Observe(events);
        Nanoseconds += ThreadCpu.Nanoseconds() - start;
    }

    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top) => analytics.TopParents(window, top);

    public RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket) => analytics.SeriesOf(parent, window, bucket);

    public InvocationSeries? InvocationsOf(ProcessKey parent) => analytics.InvocationsOf(parent);

    public IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top) => analytics.TopPrograms(range, top);

    public ProgramRate? RateOf(ProgramSignature program, TimeRange range) => analytics.RateOf(program, range);

    public IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket) => analytics.SeriesOf(program, range, bucket);

    public ProgramSignature? ProgramOf(ProcessKey parent) => analytics.ProgramOf(parent);
}
