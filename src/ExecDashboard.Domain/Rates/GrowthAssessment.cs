namespace ExecDashboard.Domain.Rates;

/// <summary>
/// The verdict on a program's children per run (one count per run, in start order) and the figures
/// it was decided from.
/// </summary>
/// <remarks>
/// <para>
/// The test is scale-free, so it says the same for 3 runs and for 3000. Total work
/// W(n) = Σ children of the first n runs is fitted to c·n^k on a log-log scale: k ≈ 1 is the same
/// work per run, k ≈ 2 is each run doing a fixed amount more than the last (quadratic in total),
/// k ≈ 3 cubic. The fit covers the later half of the runs (W still counts them all), so k says how
/// work grows now, not how it once started: a saw-tooth's first ramp is not growth. A relative slope would not do: a perfectly linear 10, 20, 30, ... has a slope that is
/// a shrinking share of its mean, so the longer the problem has gone on the less it would be seen.
/// </para>
/// <para>
/// <see cref="GrowthVerdict.Growing"/> needs k ≥ <see cref="MinimumGrowthExponent"/> and a rising
/// trend: the Mann–Kendall z at least <see cref="TrendZ"/> (noisy series), or, for a series too short
/// for a rank test to reach significance, every run larger than the one before. From
/// <see cref="RobustFrom"/> runs on, the single largest run is left out of both figures, so a
/// one-off spike cannot make a flat series look like growth.
/// </para>
/// <para>
/// Only completed runs count. The newest run may still be running, or be cut off by the end of a
/// recording, so its count is only a lower bound: it is judged only when it already made at least as
/// many children as the run before it (then it can only strengthen what the others show).
/// </para>
/// </remarks>
public sealed record GrowthAssessment
{
    public const int MinimumPoints = 3;

    /// <summary>Below this exponent of total work, runs do about the same work each: not growth.</summary>
    public const double MinimumGrowthExponent = 1.25;

    /// <summary>At or below this exponent, each run does less than the ones before.</summary>
    public const double MaximumShrinkExponent = 0.8;

    /// <summary>The one-sided 5 % level of the Mann–Kendall z score.</summary>
    public const double TrendZ = 1.645;

    /// <summary>Series at least this long are judged without their single largest run.</summary>
    public const int RobustFrom = 8;

    public required GrowthVerdict Verdict { get; init; }

    /// <summary>k of total work W(n) ≈ c·n^k: 1 linear, 2 quadratic; 0 when nothing was judged.</summary>
    public required double Exponent { get; init; }

    /// <summary>Mann–Kendall z of the judged runs: positive for a rising trend.</summary>
    public required double Trend { get; init; }

    /// <summary>Least-squares slope of the judged runs: extra children per run.</summary>
    public required double Slope { get; init; }

    /// <summary>How many runs the verdict was judged over.</summary>
    public required int JudgedRuns { get; init; }

    /// <summary>The newest run was left out: it made fewer children than the one before and may not have finished.</summary>
    public required bool NewestLeftOut { get; init; }

    /// <summary>The shape of total work by <see cref="Exponent"/>: "linear", "quadratic", ...</summary>
    public string Shape => Exponent switch
    {
        <= 0 => "none",
        < MinimumGrowthExponent => "linear",
        < 1.75 => "superlinear",
        < 2.5 => "quadratic",
        < 3.5 => "cubic",
        _ => "polynomial",
    };

    /// <summary>
    /// Judges <paramref name="counts"/> (children per run, oldest first). <paramref name="priorRuns"/>
    /// and <paramref name="priorWork"/> are the runs and children before the first count that a
    /// bounded tracker no longer keeps, so run numbers and total work stay true.
    /// </summary>
    public static GrowthAssessment Of(IReadOnlyList<long> counts, long priorRuns = 0, long priorWork = 0, bool newestMayBeRunning = true)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfNegative(priorRuns);
        ArgumentOutOfRangeException.ThrowIfNegative(priorWork);
        var judged = counts.ToList();
        var newestLeftOut = newestMayBeRunning && judged.Count >= 2 && judged[^1] < judged[^2];
        if (newestLeftOut)
        {
            judged.RemoveAt(judged.Count - 1);
        }

        if (judged.Count < MinimumPoints)
        {
            return new GrowthAssessment { Verdict = GrowthVerdict.TooFewInvocations, Exponent = 0, Trend = 0, Slope = 0, JudgedRuns = judged.Count, NewestLeftOut = newestLeftOut };
        }

        var strictlyRising = true;
        var strictlyFalling = true;
        for (var i = 1; i < judged.Count; i++)
        {
            strictlyRising &= judged[i] > judged[i - 1];
            strictlyFalling &= judged[i] < judged[i - 1];
        }

        if (judged.Count >= RobustFrom)
        {
            judged.RemoveAt(judged.IndexOf(judged.Max()));
        }

        var series = judged.ToArray();
        var exponent = PowerLawFit.ExponentOfCumulative(series, priorRuns, priorWork, firstFitted: series.Length / 2);
        var trend = MannKendall.Z(series);
        var verdict = exponent >= MinimumGrowthExponent && (trend >= TrendZ || strictlyRising) ? GrowthVerdict.Growing
            : exponent > 0 && exponent <= MaximumShrinkExponent && (trend <= -TrendZ || strictlyFalling) ? GrowthVerdict.Shrinking
            : GrowthVerdict.Flat;
        return new GrowthAssessment
        {
            Verdict = verdict,
            Exponent = exponent,
            Trend = trend,
            Slope = LeastSquaresSlope(series),
            JudgedRuns = series.Length,
            NewestLeftOut = newestLeftOut,
        };
    }

    private static double LeastSquaresSlope(long[] y)
    {
        var n = y.Length;
        double meanX = (n - 1) / 2.0, meanY = y.Average(), sxy = 0, sxx = 0;
        for (var i = 0; i < n; i++)
        {
            sxy += (i - meanX) * (y[i] - meanY);
            sxx += (i - meanX) * (i - meanX);
        }

        return sxx > 0 ? sxy / sxx : 0;
    }
}
