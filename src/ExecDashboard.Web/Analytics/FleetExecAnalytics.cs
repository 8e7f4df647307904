using System.Collections.Concurrent;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// The live analytics of a fleet: one set over every host (what this type answers itself, and the
/// one that logs storms) and one per host, for views narrowed to a host. Every event goes to both,
/// so a host's rates never mix in another host's execs. Thread-safe.
/// </summary>
public sealed class FleetExecAnalytics(TimeProvider time, IOptions<DashboardOptions> options, ILogger<LiveExecAnalytics> logger) : IExecAnalytics
{
    private readonly LiveExecAnalytics _all = new(time, options, logger);
    private readonly ConcurrentDictionary<string, LiveExecAnalytics> _byHost = new(StringComparer.Ordinal);

    /// <summary>The analytics of one host (null: of all); a host not seen yet has none.</summary>
    public IExecAnalytics ForHost(string? host) =>
        host is null ? this : _byHost.GetOrAdd(host, _ => new LiveExecAnalytics(time, options, NullLogger<LiveExecAnalytics>.Instance));

    public void Observe(IReadOnlyList<ExecEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        _all.Observe(events);
        foreach (var group in events.GroupBy(e => e.Exec.Host, StringComparer.Ordinal))
        {
            ForHost(group.Key).Observe([.. group]);
        }
    }

    public DateTimeOffset Now => _all.Now;

    public TimeRange? Recorded => _all.Recorded;

    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top) => _all.TopParents(window, top);

    public RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket) => _all.SeriesOf(parent, window, bucket);

    public InvocationSeries? InvocationsOf(ProcessKey parent) => _all.InvocationsOf(parent);

    public IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top) => _all.TopPrograms(range, top);

    public ProgramRate? RateOf(ProgramSignature program, TimeRange range) => _all.RateOf(program, range);

    public IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket) => _all.SeriesOf(program, range, bucket);

    public ProgramSignature? ProgramOf(ProcessKey parent) => _all.ProgramOf(parent);
}
