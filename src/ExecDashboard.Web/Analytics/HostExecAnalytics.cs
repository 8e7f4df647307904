using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// One host's analytics in a fleet (<see cref="FleetExecAnalytics"/>): the fleet's own while the
/// host is the only one seen (<see cref="SharesFleet"/>), its own after. A view keeps this object
/// either way.
/// </summary>
internal sealed class HostExecAnalytics(string host, LiveExecAnalytics source, bool sharesFleet) : IExecAnalytics
{
    private volatile LiveExecAnalytics _source = source;

    public string Host => host;

    /// <summary>True while these are the fleet's analytics, which the fleet feeds; changed under the fleet's lock only.</summary>
    public bool SharesFleet { get; private set; } = sharesFleet;

    /// <summary>From now on the host's own analytics, starting as <paramref name="own"/> (a copy of the fleet's).</summary>
    public void Separate(LiveExecAnalytics own)
    {
        _source = own;
        SharesFleet = false;
    }

    public void Observe(IReadOnlyList<ExecEvent> events)
    {
        // The fleet observes its events itself: a second time would count them twice.
        if (SharesFleet)
        {
            throw new InvalidOperationException($"The analytics of {host} are the fleet's while it is the only host; the fleet observes its events.");
        }

        _source.Observe(events);
    }

    public DateTimeOffset Now => _source.Now;

    public TimeRange? Recorded => _source.Recorded;

    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top) => _source.TopParents(window, top);

    public RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket) => _source.SeriesOf(parent, window, bucket);

    public InvocationSeries? InvocationsOf(ProcessKey parent) => _source.InvocationsOf(parent);

    public IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top) => _source.TopPrograms(range, top);

    public ProgramRate? RateOf(ProgramSignature program, TimeRange range) => _source.RateOf(program, range);

    public IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket) => _source.SeriesOf(program, range, bucket);

    public ProgramSignature? ProgramOf(ProcessKey parent) => _source.ProgramOf(parent);
}
