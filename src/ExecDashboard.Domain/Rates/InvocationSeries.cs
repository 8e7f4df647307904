using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>Children per invocation of one program, one point per parent process in start order.</summary>
public sealed record InvocationSeries
{
    public required ProgramSignature Program { get; init; }

    public required IReadOnlyList<InvocationPoint> Points { get; init; }

    /// <summary>
    /// Decided over all points. The newest invocation may still be running, so its count can still
    /// rise; a UI should draw it as provisional.
    /// </summary>
    public required GrowthAssessment Growth { get; init; }

    /// <summary>Older invocations dropped to stay within the per-program limit.</summary>
    public required long DroppedInvocations { get; init; }
}

/// <summary>One invocation (one parent process) and how many execs it made.</summary>
public sealed record InvocationPoint(ProcessKey Parent, DateTimeOffset FirstSeen, long ChildExecs);
