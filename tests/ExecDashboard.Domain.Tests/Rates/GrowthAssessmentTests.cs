using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class GrowthAssessmentTests
{
    [Theory]
    [InlineData(new long[] { 10, 20, 30 }, GrowthVerdict.Growing)]
    [InlineData(new long[] { 1, 3, 2, 6, 8, 9 }, GrowthVerdict.Growing)]
    [InlineData(new long[] { 1000, 1001, 1002 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 5, 5, 5, 5 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 1, 9, 1, 9, 1, 12 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 0, 0, 0 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 10, 20 }, GrowthVerdict.TooFewInvocations)]
    [InlineData(new long[] { 10, 20, 30, 5 }, GrowthVerdict.Growing)]
    [InlineData(new long[] { 40, 30, 20, 10, 10 }, GrowthVerdict.Shrinking)]
    public void Decides_growth_from_the_exponent_of_total_work_and_the_rank_trend(long[] counts, GrowthVerdict expected)
    {
        Assert.Equal(expected, GrowthAssessment.Of(counts).Verdict);
    }

    [Fact]
    public void A_falling_series_is_shrinking_once_its_newest_run_counts_as_complete()
    {
        Assert.Equal(GrowthVerdict.TooFewInvocations, GrowthAssessment.Of([30, 20, 10]).Verdict);
        Assert.Equal(GrowthVerdict.Shrinking, GrowthAssessment.Of([30, 20, 10], newestMayBeRunning: false).Verdict);
    }

    [Fact]
    public void Ten_twenty_thirty_over_hundreds_of_runs_is_quadratic()
    {
        // The case: a relative-slope test called this flat from about 40 runs on.
        var growth = GrowthAssessment.Of([.. Enumerable.Range(1, 224).Select(n => 10L * n)]);

        Assert.Equal(GrowthVerdict.Growing, growth.Verdict);
        Assert.InRange(growth.Exponent, 1.8, 2.2);
        Assert.Equal("quadratic", growth.Shape);
        Assert.Equal(223, growth.JudgedRuns);
    }

    [Fact]
    public void One_to_1553_is_quadratic()
    {
        var growth = GrowthAssessment.Of([.. Enumerable.Range(1, 1553).Select(n => (long)n)]);

        Assert.Equal(GrowthVerdict.Growing, growth.Verdict);
        Assert.InRange(growth.Exponent, 1.9, 2.1);
    }

    [Fact]
    public void A_newest_run_cut_short_is_left_out_and_said_so()
    {
        long[] counts = [.. Enumerable.Range(1, 300).Select(n => 10L * n), 7];

        var growth = GrowthAssessment.Of(counts);

        Assert.Equal(GrowthVerdict.Growing, growth.Verdict);
        Assert.True(growth.NewestLeftOut);
        Assert.InRange(growth.Exponent, 1.8, 2.2);
    }

    [Fact]
    public void Runs_no_longer_kept_still_count_so_a_window_of_a_long_series_stays_quadratic()
    {
        // Runs 1001 to 1256 of 10, 20, 30, ...: on their own they look nearly constant.
        long[] kept = [.. Enumerable.Range(1001, 256).Select(n => 10L * n)];
        var priorWork = Enumerable.Range(1, 1000).Sum(n => 10L * n);

        Assert.Equal(GrowthVerdict.Flat, GrowthAssessment.Of(kept).Verdict);
        var growth = GrowthAssessment.Of(kept, priorRuns: 1000, priorWork: priorWork);
        Assert.Equal(GrowthVerdict.Growing, growth.Verdict);
        Assert.InRange(growth.Exponent, 1.8, 2.2);
    }

    [Fact]
    public void Constant_work_per_run_is_linear()
    {
        var growth = GrowthAssessment.Of([.. Enumerable.Repeat(40L, 500)]);

        Assert.Equal(GrowthVerdict.Flat, growth.Verdict);
        Assert.Equal(1.0, growth.Exponent, 6);
        Assert.Equal("linear", growth.Shape);
    }

    [Fact]
    public void Mann_kendall_sees_a_noisy_rise_and_not_the_size_of_one_spike()
    {
        Assert.True(MannKendall.Z([1, 3, 2, 5, 4, 7, 6, 9, 8, 11]) > GrowthAssessment.TrendZ);
        Assert.True(MannKendall.Z([11, 8, 9, 6, 7, 4, 5, 2, 3, 1]) < -GrowthAssessment.TrendZ);
        Assert.InRange(MannKendall.Z([5, 6, 5, 4, 100_000, 5, 6, 4, 5]), -1.0, 1.0);
        Assert.Equal(0, MannKendall.Z([4, 4, 4, 4]));
    }

    [Fact]
    public void The_power_law_fit_recovers_the_exponent()
    {
        // Counts n² sum to about n³/3: cubic total work.
        Assert.InRange(PowerLawFit.ExponentOfCumulative([.. Enumerable.Range(1, 400).Select(n => (long)n * n)]), 2.85, 3.05);
    }
}
