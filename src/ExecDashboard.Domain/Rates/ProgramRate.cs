using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// One program (exe and argument template, see <see cref="ProgramSignature"/>) across all its runs:
/// how often it ran, how many children its runs made and whether that grows, its exec rate over a
/// range, where its runs were started from and what they spawn.
/// </summary>
public sealed record ProgramRate
{
    public required ProgramSignature Program { get; init; }

    /// <summary><c>bash /usr/sbin/sendmail -t</c>: the exe's file name and the argument template without argv[0].</summary>
    public required string Label { get; init; }

    /// <summary>Runs (parent processes) seen, including those no longer kept.</summary>
    public required long Runs { get; init; }

    /// <summary>Children (execs whose parent is a run) of all runs seen.</summary>
    public required long Children { get; init; }

    /// <summary>Children of each kept run, oldest first; <see cref="DroppedRuns"/> older ones are only counted.</summary>
    public required IReadOnlyList<InvocationPoint> ChildrenPerRun { get; init; }

    public required long DroppedRuns { get; init; }

    public required GrowthAssessment Growth { get; init; }

    public required DateTimeOffset FirstRun { get; init; }

    public required DateTimeOffset LastRun { get; init; }

    public required TimeRange Range { get; init; }

    /// <summary>Children exec'd by its runs within <see cref="Range"/>.</summary>
    public required long Execs { get; init; }

    public double PerSecond => Execs / Range.Length.TotalSeconds;

    /// <summary>The programs its runs were started from, e.g. <c>sudo → bash /usr/sbin/sendmail -t</c>, most common first.</summary>
    public required IReadOnlyList<ChainCount> Chains { get; init; }

    /// <summary>What its runs spawn, most first.</summary>
    public required IReadOnlyList<ChildExeCount> TopChildren { get; init; }
}

/// <summary>How many runs of a program were started from one chain of programs.</summary>
public sealed record ChainCount(string Chain, long Runs);

/// <summary>One run (one parent process) of a program and how many execs it made.</summary>
public sealed record InvocationPoint(ProcessKey Parent, DateTimeOffset FirstSeen, long ChildExecs);
