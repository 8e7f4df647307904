namespace ExecDashboard.Domain.Rates;

/// <summary>
/// The Mann–Kendall rank trend test: does a series tend to rise (or fall) in time, whatever the
/// shape and scale of the rise? It compares every pair of points, so it is blind to the size of a
/// single outlier, and noise only weakens it.
/// </summary>
/// <remarks>
/// S = Σ_{i&lt;j} sign(x_j − x_i); under "no trend" S is about normal with variance
/// [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)] / 18 over groups of t tied values (Kendall, Rank Correlation
/// Methods, 1975; Hipel and McLeod, Time Series Modelling of Water Resources, 1994, ch. 23).
/// The z score uses the usual continuity correction of one. O(n²) time, O(n) memory.
/// </remarks>
public static class MannKendall
{
    /// <summary>The z score of the trend: above 1.645 is a rise at the one-sided 5 % level, below −1.645 a fall.</summary>
    public static double Z(ReadOnlySpan<long> series)
    {
        var n = series.Length;
        if (n < 2)
        {
            return 0;
        }

        long s = 0;
        for (var i = 0; i < n - 1; i++)
        {
            var x = series[i];
            for (var j = i + 1; j < n; j++)
            {
                s += Math.Sign(series[j] - x);
            }
        }

        var variance = (n * (n - 1.0) * ((2.0 * n) + 5)) - TieCorrection(series);
        variance /= 18;
        if (variance <= 0)
        {
            return 0;
        }

        var sd = Math.Sqrt(variance);
        return s > 0 ? (s - 1) / sd : s < 0 ? (s + 1) / sd : 0;
    }

    private static double TieCorrection(ReadOnlySpan<long> series)
    {
        var sorted = series.ToArray();
        Array.Sort(sorted);
        double correction = 0;
        var run = 1;
        for (var i = 1; i <= sorted.Length; i++)
        {
            if (i < sorted.Length && sorted[i] == sorted[i - 1])
            {
                run++;
                continue;
            }

            if (run > 1)
            {
                correction += run * (run - 1.0) * ((2.0 * run) + 5);
            }

            run = 1;
        }

        return correction;
    }
}
