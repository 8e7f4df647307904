namespace ExecDashboard.Domain.Rates;

/// <summary>Fits total work W(n) = Σ of the first n counts to c·n^k by least squares on log-log scales.</summary>
public static class PowerLawFit
{
    /// <summary>
    /// k of W(n) ≈ c·n^k over the runs <paramref name="priorRuns"/>+1 onwards, W including
    /// <paramref name="priorWork"/>; runs while W is still 0 carry no information on a log scale and
    /// are skipped; only runs from <paramref name="firstFitted"/> on are fitted (W still sums all).
    /// 0 when fewer than two points remain.
    /// </summary>
    public static double ExponentOfCumulative(ReadOnlySpan<long> counts, long priorRuns = 0, long priorWork = 0, int firstFitted = 0)
    {
        double sumX = 0, sumY = 0, sumXx = 0, sumXy = 0;
        var points = 0;
        double work = priorWork;
        for (var i = 0; i < counts.Length; i++)
        {
            work += counts[i];
            if (work <= 0 || i < firstFitted)
            {
                continue;
            }

            var x = Math.Log(priorRuns + i + 1);
            var y = Math.Log(work);
            sumX += x;
            sumY += y;
            sumXx += x * x;
            sumXy += x * y;
            points++;
        }

        if (points < 2)
        {
            return 0;
        }

        var denominator = (points * sumXx) - (sumX * sumX);
        return denominator > 0 ? ((points * sumXy) - (sumX * sumY)) / denominator : 0;
    }
}
