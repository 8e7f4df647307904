namespace ExecDashboard.Domain.Rates;

/// <summary>How a program's children per invocation evolve from one invocation to the next.</summary>
public enum GrowthVerdict
{
    /// <summary>Fewer than <see cref="GrowthAssessment.MinimumPoints"/> invocations.</summary>
    TooFewInvocations = 0,

    Flat = 1,

    /// <summary>The signature of accidentally quadratic work: each run does more than the last.</summary>
    Growing = 2,

    Shrinking = 3,
}

/// <summary>
/// The verdict on a series of child-exec counts (one per invocation, in start order) and the
/// figures it was decided from.
/// </summary>
/// <remarks>
/// Decision: with at least <see cref="MinimumPoints"/> points, fit a least-squares line
/// count = a + slope · i over invocation index i. Call it <see cref="GrowthVerdict.Growing"/> when
/// the slope is at least <see cref="MinimumRelativeSlope"/> of the mean count per invocation
/// (so 10, 20, 30 grows but 1000, 1001, 1002 does not) and at least
/// <see cref="MinimumMonotoneRatio"/> of consecutive steps do not go down (noise allowed, a saw-tooth
/// is not growth); <see cref="GrowthVerdict.Shrinking"/> is the mirror image; anything else is flat.
/// </remarks>
public sealed record GrowthAssessment
{
    public const int MinimumPoints = 3;
    public const double MinimumRelativeSlope = 0.05;
    public const double MinimumMonotoneRatio = 0.75;

    public required GrowthVerdict Verdict { get; init; }

    /// <summary>Least-squares slope: extra child execs per invocation.</summary>
    public required double Slope { get; init; }

    /// <summary><see cref="Slope"/> divided by the mean count; 0 when the mean is 0.</summary>
    public required double RelativeSlope { get; init; }

    /// <summary>Share of consecutive steps that go the slope's way or stay level.</summary>
    public required double MonotoneRatio { get; init; }

    public static GrowthAssessment Of(IReadOnlyList<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var n = counts.Count;
        if (n < MinimumPoints)
        {
            return new GrowthAssessment { Verdict = GrowthVerdict.TooFewInvocations, Slope = 0, RelativeSlope = 0, MonotoneRatio = 0 };
        }

        double meanX = (n - 1) / 2.0, meanY = 0;
        foreach (var c in counts)
        {
            meanY += c;
        }

        meanY /= n;
        double sxy = 0, sxx = 0;
        int up = 0, down = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (i - meanX) * (counts[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
            if (i > 0)
            {
                up += counts[i] >= counts[i - 1] ? 1 : 0;
                down += counts[i] <= counts[i - 1] ? 1 : 0;
            }
        }

        var slope = sxy / sxx;
        var relative = meanY > 0 ? slope / meanY : 0;
        var monotone = (double)(slope >= 0 ? up : down) / (n - 1);
        var verdict = Math.Abs(relative) >= MinimumRelativeSlope && monotone >= MinimumMonotoneRatio
            ? (slope > 0 ? GrowthVerdict.Growing : GrowthVerdict.Shrinking)
            : GrowthVerdict.Flat;
        return new GrowthAssessment { Verdict = verdict, Slope = slope, RelativeSlope = relative, MonotoneRatio = monotone };
    }
}
