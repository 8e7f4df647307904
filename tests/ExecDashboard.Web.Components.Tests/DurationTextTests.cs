using ExecDashboard.Web.Components.Model;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>One duration format for the process header, the timeline and Rates.</summary>
public sealed class DurationTextTests
{
    [Theory]
    [InlineData(0.4, "0.4 ms")]
    [InlineData(3, "3 ms")]
    [InlineData(449, "449 ms")]
    [InlineData(1_230, "1.23 s")]
    [InlineData(4_500, "4.5 s")]
    [InlineData(245_000, "4 min 05 s")]
    [InlineData(7_380_000, "2 h 03 min")]
    public void A_duration_reads_in_the_unit_it_is_measured_in(double milliseconds, string expected) =>
        Assert.Equal(expected, DurationText.Short(TimeSpan.FromMilliseconds(milliseconds)));
}
