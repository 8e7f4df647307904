namespace ExecDashboard.Domain.Rates;

/// <summary>Children per run of one program, one point per parent process in start order.</summary>
public sealed record InvocationSeries
{
    public required ProgramSignature Program { get; init; }

    public required IReadOnlyList<InvocationPoint> Points { get; init; }

    /// <summary>Judged over completed runs; see <see cref="GrowthAssessment"/>.</summary>
    public required GrowthAssessment Growth { get; init; }

    /// <summary>Older runs dropped to stay within the per-program limit.</summary>
    public required long DroppedInvocations { get; init; }
}
