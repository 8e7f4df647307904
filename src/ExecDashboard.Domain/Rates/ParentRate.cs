using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>One parent's exec rate over a window, with what is needed to label and open it.</summary>
public sealed record ParentRate
{
    public required ProcessKey Parent { get; init; }

    /// <summary>The parent's program, empty when only its PID is known.</summary>
    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The parent and its ancestors up to PID 1, nearest first, as last reported.</summary>
    public required IReadOnlyList<Ancestor> Chain { get; init; }

    public required TimeSpan Window { get; init; }

    /// <summary>Execs whose parent this is, within <see cref="Window"/>.</summary>
    public required long Count { get; init; }

    public double PerSecond => Count / Window.TotalSeconds;

    public required DateTimeOffset LastExec { get; init; }

    /// <summary>Child programs by exec count within the parent's tracked life, most first.</summary>
    public required IReadOnlyList<ChildExeCount> TopChildren { get; init; }
}

/// <summary>How often a parent exec'd one program.</summary>
public sealed record ChildExeCount(string Exe, long Count);
