namespace ExecDashboard.Domain.Timelines;

/// <summary>How a bar's processes ended, which decides its colour.</summary>
public enum TimelineBarKind
{
    /// <summary>Every one ended with code 0.</summary>
    Ended,

    /// <summary>Every one ended with a non-zero code or was killed.</summary>
    Failed,

    /// <summary>No end reported: drawn to the last we saw of it.</summary>
    Open,
}

/// <summary>
/// What one rectangle of a lane stands for: one process, or several of the lane's processes that
/// would be drawn closer together than the eye can tell apart at this zoom.
/// </summary>
public sealed record TimelineBar
{
    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    public required TimelineBarKind Kind { get; init; }

    /// <summary>How many processes the bar stands for (1: <see cref="Single"/>).</summary>
    public required int Count { get; init; }

    /// <summary>The process when the bar is exactly one; null for a merged bar.</summary>
    public ProcessSpan? Single { get; init; }

    /// <summary>The longest duration among its processes (a merged bar's extent also spans the gaps between them).</summary>
    public required TimeSpan Longest { get; init; }
}
