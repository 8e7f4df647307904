using ExecDashboard.Domain.Events;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// The one seam between the store and the rate analytics: the store feeds every newly stored
/// live event through <see cref="Observe"/> (from the ingest thread), views and the API ask.
/// Implementations must be thread-safe.
/// </summary>
public interface IExecAnalytics
{
    void Observe(IReadOnlyList<ExecEvent> events);

    /// <summary>The parents with the most execs in the last <paramref name="window"/>, busiest first.</summary>
    IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top);
}
