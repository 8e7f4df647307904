using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Timelines;
using ExecDashboard.TestSupport.Recordings;
using ExecDashboard.Web.Components.Controls;
using ExecDashboard.Web.Components.Tests.Support;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>The timeline at the story's scale: 224 sendmail runs of 1 … 224 <c>expr</c>s with every end.</summary>
public sealed class ProcessTimelineTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    [Fact]
    public async Task Twenty_five_thousand_repeats_are_a_few_hundred_bars_and_a_merged_bar_zooms_in_until_they_part()
    {
        var loop = SendmailSessionRecording.Events(new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));

        var opened = new List<ProcessKey>();
        var cut = _ctx.Render<ProcessTimeline>(p => p
            .Add(x => x.Lanes, TimelineLanes.Build(ProcessSpanBuilder.Of(loop.Events, loop.Ends), loop.Caller.Key))
            .Add(x => x.OnOpen, key => opened.Add(key)));

        var exprs = cut.FindAll("[data-testid=timeline-lane]")[2];
        Assert.Equal("25200", exprs.GetAttribute("data-count"));
        var whole = int.Parse(exprs.GetAttribute("data-bars")!, CultureInfo.InvariantCulture);
        Assert.InRange(whole, SendmailSessionRecording.Runs / 2, 1_000);
        Assert.InRange(cut.FindAll("rect").Count, whole, ProcessTimeline.MaxBars);

        await cut.InvokeAsync(() => cut.FindAll("[data-testid=timeline-lane]")[2].QuerySelectorAll("[data-testid=timeline-bar]").Last(b => b.GetAttribute("data-count") != "1").Click());
        cut.WaitForAssertion(() => Assert.All(
            cut.FindAll("[data-testid=timeline-lane]")[2].QuerySelectorAll("[data-testid=timeline-bar]"),
            bar => Assert.Equal("1", bar.GetAttribute("data-count"))));
        Assert.Empty(opened);

        await cut.InvokeAsync(() => cut.FindAll("[data-testid=timeline-lane]")[1].QuerySelectorAll("[data-testid=timeline-bar]").Last().Click());
        Assert.Equal([loop.Runs[^1]], opened);

        await cut.InvokeAsync(() => cut.Find("[data-testid=timeline-fit]").Click());
        cut.WaitForAssertion(() => Assert.Equal(whole.ToString(CultureInfo.InvariantCulture), cut.FindAll("[data-testid=timeline-lane]")[2].GetAttribute("data-bars")));
    }

    [Fact]
    public void A_tree_of_more_lanes_than_are_drawn_says_how_many_are_left_out_and_where_they_are()
    {
        // A build step that ran 400 different tools: one lane each, more than a timeline draws.
        var start = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var root = Span(new ProcessKey("boot", 100, 1), ProcessKey.None, "/usr/bin/make", start, TimeSpan.FromSeconds(10));
        var tools = Enumerable.Range(1, 400)
            .Select(n => Span(new ProcessKey("boot", 1000 + n, 1000 + n), root.Key, $"/usr/bin/tool{n}", start.AddMilliseconds(n), TimeSpan.FromMilliseconds(5)))
            .ToList();

        var cut = _ctx.Render<ProcessTimeline>(p => p.Add(x => x.Lanes, TimelineLanes.Build([root, .. tools], root.Key)));

        Assert.Equal(TimelineLanes.MaxLanes, cut.FindAll("[data-testid=timeline-lane]").Count);
        Assert.Equal(
            "Showing the first 300 of 401 lanes, in tree order; open a process further down to see the lanes of its own descendants.",
            cut.Find("[data-testid=timeline-cut]").TextContent);
    }

    [Fact]
    public void A_tree_that_fits_says_nothing_about_left_out_lanes()
    {
        var start = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var root = Span(new ProcessKey("boot", 100, 1), ProcessKey.None, "/usr/bin/make", start, TimeSpan.FromSeconds(1));
        var child = Span(new ProcessKey("boot", 101, 2), root.Key, "/usr/bin/cc", start, TimeSpan.FromMilliseconds(5));

        var cut = _ctx.Render<ProcessTimeline>(p => p.Add(x => x.Lanes, TimelineLanes.Build([root, child], root.Key)));

        Assert.Equal(2, cut.FindAll("[data-testid=timeline-lane]").Count);
        Assert.Empty(cut.FindAll("[data-testid=timeline-cut]"));
    }

    private static ProcessSpan Span(ProcessKey key, ProcessKey parent, string exe, DateTimeOffset start, TimeSpan duration) => new()
    {
        Key = key,
        Parent = parent,
        Exe = exe,
        Argv = [Path.GetFileName(exe)],
        Ancestry = [],
        Start = start,
        End = start + duration,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
