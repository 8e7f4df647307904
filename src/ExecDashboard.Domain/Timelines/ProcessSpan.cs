using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Timelines;

/// <summary>
/// One process on a time axis: from its start to its end, with what it ran and how it ended. The
/// extent always covers its children's (a parent outlives what it waits for, and a span whose end
/// is not known reaches to the last thing it or its descendants did), so spans nest.
/// </summary>
public sealed record ProcessSpan
{
    public required ProcessKey Key { get; init; }

    /// <summary><see cref="ProcessKey.None"/> when its parent is not among the spans.</summary>
    public required ProcessKey Parent { get; init; }

    public int Pid => Key.Pid;

    /// <summary>Its (last) program image; empty when known only as an ancestor it never exec'd under.</summary>
    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>The chain from its parent up, as its exec saw it (empty when unknown).</summary>
    public required IReadOnlyList<Ancestor> Ancestry { get; init; }

    public required DateTimeOffset Start { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>Set when the source reported its end; otherwise <see cref="End"/> is the last we saw of it.</summary>
    public ProcessEnd? Ended { get; init; }

    public TimeSpan Duration => End - Start;
}
