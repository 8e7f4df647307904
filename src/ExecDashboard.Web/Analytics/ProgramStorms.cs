using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Analytics;

/// <summary>
/// Storms per program, not per process: a program whose runs together exec at or above the
/// threshold over the storm window is one alert, however many of its processes take part.
/// </summary>
public static class ProgramStorms
{
    /// <summary>Programs at or above <paramref name="threshold"/> execs/s over the storm window ending now, fastest first.</summary>
    public static IReadOnlyList<ProgramRate> ProgramStormsAt(this IExecAnalytics analytics, double threshold, int max = 10)
    {
        ArgumentNullException.ThrowIfNull(analytics);
        var window = TimeRange.Ending(analytics.Now, ProgramTrackerOptions.StormWindow);
        return [.. analytics.TopPrograms(window, max).Where(p => p.PerSecond >= threshold)];
    }
}
