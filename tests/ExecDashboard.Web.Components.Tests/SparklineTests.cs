using System.Globalization;
using ExecDashboard.Web.Components.Controls;

namespace ExecDashboard.Web.Components.Tests;

public sealed class SparklineTests
{
    [Fact]
    public void Scales_a_series_into_the_box_lowest_at_the_bottom()
    {
        var points = Parse(SparklinePoints.Of([0, 5, 10], width: 101, height: 22));

        Assert.Equal([(0.0, 21.0), (50.0, 11.0), (100.0, 1.0)], points);
    }

    [Fact]
    public void Thousands_of_runs_get_at_most_one_point_per_pixel_and_keep_a_spike()
    {
        long[] values = [.. Enumerable.Repeat(10L, 5000)];
        values[2500] = 1000;

        var points = Parse(SparklinePoints.Of(values, width: 120, height: 24));

        Assert.Equal(120, points.Count);
        Assert.Contains(points, p => p.Y <= 1.0);
    }

    [Fact]
    public void Nothing_to_draw_for_an_empty_series()
    {
        Assert.Equal(string.Empty, SparklinePoints.Of([], 120, 24));
    }

    private static List<(double X, double Y)> Parse(string points) =>
        [.. points.Split(' ').Select(p => p.Split(',')).Select(p => (double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];
}
