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
        var builder = new ProcessSpanBuilder();
        foreach (var e in loop.Events)
        {
            builder.Add(e);
        }

        foreach (var end in loop.Ends)
        {
            builder.Add(end);
        }

        var opened = new List<ProcessKey>();
        var cut = _ctx.Render<ProcessTimeline>(p => p
            .Add(x => x.Lanes, TimelineLanes.Build(builder.Build(), loop.Caller.Key))
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

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
