using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// One host's analytics in a fleet (<see cref="FleetExecAnalytics"/>): the fleet's own while the
/// host is the only one seen (<see cref="SharesFleet"/>), its own after. A view keeps this object
/// either way.
/// </summary>
internal sealed class HostExecAnalytics(string host, LiveExecAnalytics source, bool sharesFleet) : ForwardingExecAnalytics
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

    public override void Observe(IReadOnlyList<ExecEvent> events)
    {
        // The fleet observes its events itself: a second time would count them twice.
        if (SharesFleet)
        {
            throw new InvalidOperationException($"The analytics of {host} are the fleet's while it is the only host; the fleet observes its events.");
        }

        _source.Observe(events);
    }

    private protected override IExecAnalytics Answers => _source;
}
