using ExecDashboard.Web.Ingest;

namespace ExecDashboard.Web.Fleet;

/// <summary>
/// Where replicas sharing a store tell each other which collectors they serve. Only an engine that
/// several dashboards share implements it (PostgreSQL); with SQLite the one dashboard's registry is the fleet.
/// </summary>
public interface ICollectorDirectory
{
    /// <summary>This dashboard's name among the replicas.</summary>
    string Replica { get; }

    /// <summary>A heartbeat, and this replica's collectors when they changed (null: unchanged).</summary>
    void Publish(IReadOnlyList<CollectorState>? collectors, DateTimeOffset now);

    /// <summary>Every replica's collector rows; connected only while their replica's heartbeat is newer than <paramref name="aliveAfter"/>.</summary>
    IReadOnlyList<CollectorState> ReadFleet(DateTimeOffset aliveAfter);
}
