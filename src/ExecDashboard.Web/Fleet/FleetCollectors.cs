using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Fleet;

/// <summary>
/// Every collector of the fleet, as the collectors page and <c>/api/collectors</c> show them: this
/// replica's own (live, from its registry) and those of the other replicas (from the shared store,
/// read again whenever one of them says its collectors changed). A collector that moved between
/// replicas is one row: its state from the replica that heard from it last, its counters summed.
/// </summary>
public sealed class FleetCollectors(CollectorRegistry registry, ExecStore store, TimeProvider time, ICollectorDirectory? directory = null)
{
    /// <summary>A replica whose heartbeat is older than this is gone: its collectors show as disconnected.</summary>
    public static readonly TimeSpan HeartbeatTimeout = TimeSpan.FromSeconds(10);

    private IReadOnlyList<CollectorState> _others = [];

    public IReadOnlyList<CollectorState> Snapshot()
    {
        var own = registry.Snapshot();
        if (directory is null)
        {
            return own;
        }

        var rows = own.Select(c => c with { Replica = directory.Replica })
            .Concat(Volatile.Read(ref _others).Where(c => !string.Equals(c.Replica, directory.Replica, StringComparison.Ordinal)));
        return [.. rows.GroupBy(c => c.CollectorId, StringComparer.Ordinal)
            .Select(Merge)
            .OrderBy(c => c.Host, StringComparer.Ordinal)
            .ThenBy(c => c.CollectorId, StringComparer.Ordinal)];
    }

    /// <summary>Reads the other replicas' rows again and tells the pages.</summary>
    public void Reload()
    {
        if (directory is null)
        {
            return;
        }

        Volatile.Write(ref _others, directory.ReadFleet(time.GetUtcNow() - HeartbeatTimeout));
        store.Changed();
    }

    private static CollectorState Merge(IGrouping<string, CollectorState> rows)
    {
        var current = rows.OrderByDescending(c => c.Connected).ThenByDescending(c => c.LastSeen).First();
        return current with
        {
            EventsStored = rows.Sum(c => c.EventsStored),
            Duplicates = rows.Sum(c => c.Duplicates),
            BatchesRejected = rows.Sum(c => c.BatchesRejected),
        };
    }
}
