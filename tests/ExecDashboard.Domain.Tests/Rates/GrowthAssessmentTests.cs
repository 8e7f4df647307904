using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Domain.Tests.Rates;

public sealed class GrowthAssessmentTests
{
    [Theory]
    [InlineData(new long[] { 10, 20, 30 }, GrowthVerdict.Growing)]
    [InlineData(new long[] { 1, 3, 2, 6, 8, 9 }, GrowthVerdict.Growing)]
    [InlineData(new long[] { 30, 20, 10 }, GrowthVerdict.Shrinking)]
    [InlineData(new long[] { 1000, 1001, 1002 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 5, 5, 5, 5 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 1, 9, 1, 9, 1, 12 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 0, 0, 0 }, GrowthVerdict.Flat)]
    [InlineData(new long[] { 10, 20 }, GrowthVerdict.TooFewInvocations)]
    public void Decides_growth_from_slope_and_monotony(long[] counts, GrowthVerdict expected)
    {
        Assert.Equal(expected, GrowthAssessment.Of(counts).Verdict);
    }

    [Fact]
    public void Reports_the_least_squares_slope()
    {
        var growth = GrowthAssessment.Of([10, 20, 30]);

        Assert.Equal(10, growth.Slope, 9);
        Assert.Equal(0.5, growth.RelativeSlope, 9);
        Assert.Equal(1, growth.MonotoneRatio, 9);
    }
}
