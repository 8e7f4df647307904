using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// The one seam between the store and the rate analytics: the store feeds every newly stored
/// live event through <see cref="Observe"/> (from the ingest thread), views and the API ask.
/// Implementations must be thread-safe.
/// </summary>
public interface IExecAnalytics
{
    void Observe(IReadOnlyList<ExecEvent> events);

    /// <summary>The second windows end at: now for the live stream, the last exec for a recording.</summary>
    DateTimeOffset Now { get; }

    /// <summary>From the first exec observed to the last, or null before any.</summary>
    TimeRange? Recorded { get; }

    /// <summary>The parents with the most execs in the last <paramref name="window"/>, busiest first.</summary>
    IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top);

    /// <summary>One parent's execs per bucket over a window, for its chart; null if it is not tracked.</summary>
    RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket);

    /// <summary>Children per invocation of the program <paramref name="parent"/> runs (quadratic work shows as growth).</summary>
    InvocationSeries? InvocationsOf(ProcessKey parent);

    /// <summary>The programs whose runs exec'd the most within <paramref name="range"/>, busiest first.</summary>
    IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top);

    /// <summary>One program over <paramref name="range"/>; null if it is not tracked.</summary>
    ProgramRate? RateOf(ProgramSignature program, TimeRange range);

    /// <summary>A program's execs per bucket over a range, for its chart; empty if it is not tracked.</summary>
    IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket);

    /// <summary>The program a parent process runs; null if it is not tracked.</summary>
    ProgramSignature? ProgramOf(ProcessKey parent);
}
