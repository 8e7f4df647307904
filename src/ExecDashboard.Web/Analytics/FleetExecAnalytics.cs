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
/// <remarks>
/// While every event observed came from one host, that host's analytics are the fleet's own: they
/// saw the same events. Observing each event twice was half of the analytics' work, 3.4% of a
/// 300,000-exec replay's dashboard CPU (perf) for the common dashboard of one collector. When a
/// second host shows up, the first gets a copy of the fleet's analytics as they stand, and from
/// then on its own events only, as if it had had its own from the start.
/// </remarks>
public sealed class FleetExecAnalytics(TimeProvider time, IOptions<DashboardOptions> options, ILogger<LiveExecAnalytics> logger) : ForwardingExecAnalytics
{
    private readonly LiveExecAnalytics _all = new(time, options, logger);
    private readonly ConcurrentDictionary<string, HostExecAnalytics> _byHost = new(StringComparer.Ordinal);

    // Serializes observers (the ingest worker, a replica's catch-up): the copy for the first host
    // must be taken between two batches.
    private readonly Lock _observing = new();

    // The host whose analytics are the fleet's, while every event so far came from it.
    private HostExecAnalytics? _sole;
    private bool _observed;

    /// <summary>The analytics of one host (null: of all); a host not seen yet has none.</summary>
    public IExecAnalytics ForHost(string? host) => host is null ? this : HostOf(host);

    public override void Observe(IReadOnlyList<ExecEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        lock (_observing)
        {
            if (!_observed)
            {
                _observed = true;
                var host = events[0].Exec.Host;
                if (AllFrom(events, host))
                {
                    // A view asked for this host before any event came has its own analytics already.
                    var view = _byHost.GetOrAdd(host, static (h, all) => new HostExecAnalytics(h, all, sharesFleet: true), _all);
                    _sole = view.SharesFleet ? view : null;
                }
            }
            else if (_sole is { } sole && !AllFrom(events, sole.Host))
            {
                sole.Separate(_all.Clone(NullLogger<LiveExecAnalytics>.Instance));
                _sole = null;
            }

            _all.Observe(events);
            if (_sole is not null)
            {
                return;
            }

            foreach (var group in events.GroupBy(e => e.Exec.Host, StringComparer.Ordinal))
            {
                HostOf(group.Key).Observe([.. group]);
            }
        }
    }

    private protected override IExecAnalytics Answers => _all;

    private static bool AllFrom(IReadOnlyList<ExecEvent> events, string host)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (!string.Equals(events[i].Exec.Host, host, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private HostExecAnalytics HostOf(string host) =>
        _byHost.GetOrAdd(host, h => new HostExecAnalytics(h, new LiveExecAnalytics(time, options, NullLogger<LiveExecAnalytics>.Instance), sharesFleet: false));
}
