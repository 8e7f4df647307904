using ExecDashboard.Domain.Timelines;
using ExecDashboard.TestSupport.Recordings;
using ExecDashboard.TestSupport.Scenarios;

namespace ExecDashboard.Domain.Tests.Timelines;

/// <summary>The timeline at the story's scale: 224 runs of 1 … 224 children, 25,424 processes.</summary>
public sealed class TimelineBarsTests
{
    private const int Runs = SendmailSessionRecording.Runs;
    private static readonly SendmailLoopEvents Loop = SendmailSessionRecording.Events(new(2026, 11, 24, 16, 0, 0, TimeSpan.Zero));
    private static readonly int Failed = SendmailSessionRecording.FailedRuns.Count;

    private static readonly IReadOnlyList<TimelineLane> Lanes = TimelineLanes.Build(Build(Loop), Loop.Caller.Key).Shown;

    [Fact]
    public void Hundreds_of_runs_are_three_lanes_with_every_process_in_them()
    {
        Assert.Equal(["esmtp-wrapper(7000)[--queue]", $"bash ×{Runs}", "expr ×25,200"], Lanes.Select(l => l.Label));
    }

    [Fact]
    public void Twenty_five_thousand_children_at_full_view_are_a_few_hundred_bars_that_count_them_all()
    {
        var (from, to) = Range(Lanes);
        var gap = (to - from) / 1000 * 1.5;

        var bars = TimelineBars.In(Lanes[2], from, to, gap);

        Assert.InRange(bars.Count, 1, 700);
        Assert.Equal(Lanes[2].Spans.Count, bars.Sum(b => b.Count));
        Assert.Contains(bars, b => b.Count >= Runs); // the last run's exprs are one bar
    }

    [Fact]
    public void Runs_far_enough_apart_stay_single_bars_and_the_failed_ones_keep_their_colour()
    {
        var (from, to) = Range(Lanes);

        var bars = TimelineBars.In(Lanes[1], from, to, (to - from) / 1000 * 1.5);

        Assert.Equal(Runs, bars.Count);
        Assert.All(bars, b => Assert.NotNull(b.Single));
        Assert.Equal(Failed, bars.Count(b => b.Kind == TimelineBarKind.Failed));
        Assert.True(bars[^1].Longest > bars[0].Longest * 100, "the last run should last over a hundred times the first");
    }

    [Fact]
    public void Merged_bars_part_into_single_processes_when_the_window_narrows_to_them()
    {
        var (from, to) = Range(Lanes);
        var merged = TimelineBars.In(Lanes[2], from, to, (to - from) / 1000 * 1.5).Last(b => b.Count > 1);

        var zoomed = TimelineBars.In(Lanes[2], merged.Start, merged.End, (merged.End - merged.Start) / 1000 * 1.5);

        Assert.Equal(merged.Count, zoomed.Count);
        Assert.All(zoomed, b => Assert.Equal(1, b.Count));
    }

    [Fact]
    public void A_merged_bar_never_mixes_failed_and_ended_processes()
    {
        var (from, to) = Range(Lanes);

        var bars = TimelineBars.In(Lanes[1], from, to, to - from);

        Assert.Equal(2, bars.Count);
        Assert.Equal([Runs - Failed, Failed], bars.OrderBy(b => b.Kind).Select(b => b.Count));
    }

    private static (DateTimeOffset From, DateTimeOffset To) Range(IReadOnlyList<TimelineLane> lanes) =>
        (lanes.SelectMany(l => l.Spans).Min(s => s.Start), lanes.SelectMany(l => l.Spans).Max(s => s.End));

    private static IReadOnlyList<ProcessSpan> Build(SendmailLoopEvents loop) => ProcessSpanBuilder.Of(loop.Events, loop.Ends);
}
