using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Timelines;
using ExecDashboard.TestSupport.Scenarios;

namespace ExecDashboard.Domain.Tests.Timelines;

public sealed class TimelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 16, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Every_process_of_the_loop_is_one_span_inside_its_parent_and_runs_last_as_long_as_their_children()
    {
        var loop = SendmailLoopEvents.Create(Start, TimeSpan.FromMilliseconds(10), queueSizes: [2, 4, 6]);
        var spans = Build(loop);

        Assert.Equal(loop.Events.Count + 1, spans.Count); // every exec'ing process, and the caller
        var byKey = spans.ToDictionary(s => s.Key);
        foreach (var span in spans.Where(s => !s.Parent.IsNone))
        {
            var parent = byKey[span.Parent];
            Assert.InRange(span.Start, parent.Start, parent.End);
            Assert.InRange(span.End, parent.Start, parent.End);
        }

        var runs = loop.Runs.Select(r => byKey[r]).ToList();
        Assert.All(runs, r => Assert.NotNull(r.Ended));
        Assert.True(runs[0].Duration < runs[1].Duration && runs[1].Duration < runs[2].Duration);
        Assert.Null(byKey[loop.Caller.Key].Ended); // known from /proc only: seen, not ended
    }

    [Fact]
    public void Repeated_runs_share_one_lane_and_their_children_another()
    {
        var loop = SendmailLoopEvents.Create(Start, TimeSpan.FromMilliseconds(10), queueSizes: [2, 4, 6]);

        var lanes = TimelineLanes.Build(Build(loop), loop.Caller.Key).Shown;

        Assert.Equal(["esmtp-wrapper(7000)[--queue]", "bash ×3", "expr ×12"], lanes.Select(l => l.Label));
        Assert.Equal([0, 1, 2], lanes.Select(l => l.Depth));
        Assert.Equal(loop.Runs, lanes[1].Spans.Select(s => s.Key));
    }

    [Fact]
    public void Fewer_than_three_alike_children_keep_a_lane_each()
    {
        var loop = SendmailLoopEvents.Create(Start, TimeSpan.FromMilliseconds(10), queueSizes: [1, 2]);

        var lanes = TimelineLanes.Build(Build(loop), loop.Caller.Key).Shown;

        Assert.Equal(["esmtp-wrapper(7000)[--queue]", $"bash({loop.Runs[0].Pid})[/usr/sbin/sendmail -t]", "expr(20001)[1 + 1]", $"bash({loop.Runs[1].Pid})[/usr/sbin/sendmail -t]"], lanes.Take(4).Select(l => l.Label));
    }

    [Fact]
    public void Lanes_past_the_limit_are_counted_but_not_laid_out()
    {
        var loop = SendmailLoopEvents.Create(Start, TimeSpan.FromMilliseconds(10), queueSizes: [1, 2]);

        var all = TimelineLanes.Build(Build(loop), loop.Caller.Key);
        var cut = TimelineLanes.Build(Build(loop), loop.Caller.Key, maxLanes: 4);

        Assert.False(all.IsCut);
        Assert.Equal(all.Shown.Count, all.Total);
        Assert.True(cut.IsCut);
        Assert.Equal(all.Total, cut.Total);
        Assert.Equal(all.Shown.Take(4).Select(l => l.Label), cut.Shown.Select(l => l.Label));
    }

    private static IReadOnlyList<ProcessSpan> Build(SendmailLoopEvents loop) => ProcessSpanBuilder.Of(loop.Events, loop.Ends);
}
