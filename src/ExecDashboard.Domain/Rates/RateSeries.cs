using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>A parent's execs per bucket over a window, oldest bucket first, for a chart.</summary>
public sealed record RateSeries
{
    public required ProcessKey Parent { get; init; }

    public required TimeSpan Bucket { get; init; }

    /// <summary>Every bucket of the window, zeros included, so a chart's x-axis is regular.</summary>
    public required IReadOnlyList<RatePoint> Points { get; init; }
}

/// <summary>Execs counted in the bucket starting at <see cref="Start"/>.</summary>
public readonly record struct RatePoint(DateTimeOffset Start, long Count);
