using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>A parent passed the storm threshold: who it is and what it spawns.</summary>
public sealed record StormAlert
{
    public required ProcessKey Parent { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The parent and its ancestors up to PID 1, nearest first.</summary>
    public required IReadOnlyList<Ancestor> Chain { get; init; }

    /// <summary>Execs per second over <see cref="Window"/> when the alert was raised.</summary>
    public required double PerSecond { get; init; }

    public required TimeSpan Window { get; init; }

    public required DateTimeOffset RaisedAt { get; init; }

    /// <summary>What it spawns, most first; see <see cref="ExecRateWindow.OtherChildExes"/>.</summary>
    public required IReadOnlyList<ChildExeCount> TopChildren { get; init; }
}
