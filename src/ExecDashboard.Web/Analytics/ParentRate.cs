using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Analytics;

/// <summary>One parent's exec rate over a window, with what it spawns most.</summary>
public sealed record ParentRate
{
    public required ProcessKey Parent { get; init; }

    public required int Pid { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The parent's own ancestry, nearest first, to label it by its chain.</summary>
    public required IReadOnlyList<Ancestor> Chain { get; init; }

    public required long Execs { get; init; }

    public required double ExecsPerSecond { get; init; }

    /// <summary>The executable it spawned most in the window.</summary>
    public required string TopChildExe { get; init; }
}
