namespace ExecDashboard.Domain.Rates;

/// <summary>How a program's children per run evolve from one run to the next.</summary>
public enum GrowthVerdict
{
    /// <summary>Fewer than <see cref="GrowthAssessment.MinimumPoints"/> runs to judge.</summary>
    TooFewInvocations = 0,

    /// <summary>About the same work per run: total work grows linearly with the number of runs.</summary>
    Flat = 1,

    /// <summary>The signature of accidentally quadratic work: each run does more than the last.</summary>
    Growing = 2,

    Shrinking = 3,
}
