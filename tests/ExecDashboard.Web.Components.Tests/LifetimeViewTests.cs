using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>Process ends in the views: the process view's lifetime line and timeline, and failed runs in the feed.</summary>
public sealed class LifetimeViewTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();
    private long _batch = 1_000;

    private DateTimeOffset Now => _ctx.Time.GetUtcNow();

    [Fact]
    public void The_process_view_says_how_long_it_ran_and_how_it_ended_and_draws_its_children_as_bars()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "-c", "exit 3"], Now);
        var children = Enumerable.Range(1, 3).Select(n => Execs.Of(900 + n, "/usr/bin/sleep", ["sleep", "0.1"], Now.AddSeconds(n), ancestry: [bash.AsAncestor(), Execs.Init])).ToArray();
        Append([bash, .. children], [End(bash, TimeSpan.FromSeconds(4.5), ExitStatus.Exited(3)), .. children.Select(c => End(c, TimeSpan.FromMilliseconds(100), ExitStatus.Exited(0)))]);

        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, bash.Process.ToString()));

        cut.WaitForAssertion(() => Assert.Contains("exit code 3", cut.Find("[data-testid=process-exit]").TextContent, StringComparison.Ordinal));
        Assert.Equal("4.5 s", cut.Find("[data-testid=process-duration]").TextContent);
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=timeline-lane]").Count));
        var lanes = cut.FindAll("[data-testid=timeline-lane]");
        Assert.Equal("3", lanes[1].GetAttribute("data-count"));
        Assert.Equal(3, lanes[1].QuerySelectorAll("[data-testid=timeline-bar]").Length);
        Assert.Contains("tl-failed", lanes[0].QuerySelector("[data-testid=timeline-bar]")!.GetAttribute("class"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_process_whose_source_reports_no_exits_has_an_unknown_end_and_one_whose_source_does_still_runs()
    {
        var unknown = Execs.Of(800, "/usr/bin/bash", ["bash"], Now);
        await _ctx.AppendAsync(unknown);
        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, unknown.Process.ToString()));
        cut.WaitForAssertion(() => Assert.Equal("end unknown", cut.Find("[data-testid=process-exit]").TextContent.Trim()));

        var ended = Execs.Of(801, "/usr/bin/true", ["true"], Now.AddSeconds(1));
        Append([ended], [End(ended, TimeSpan.FromMilliseconds(2), ExitStatus.Exited(0))]);
        var again = _ctx.Render<Process>(p => p.Add(x => x.Key, unknown.Process.ToString()));
        again.WaitForAssertion(() => Assert.Equal("still running", again.Find("[data-testid=process-exit]").TextContent.Trim()));
    }

    [Fact]
    public void The_feed_marks_a_run_that_was_killed()
    {
        var killed = Execs.Of(700, "/usr/bin/sleep", ["sleep", "60"], Now);
        var fine = Execs.Of(701, "/usr/bin/true", ["true"], Now.AddSeconds(1));
        Append([killed, fine], [End(killed, TimeSpan.FromSeconds(3), ExitStatus.Killed(9)), End(fine, TimeSpan.FromMilliseconds(1), ExitStatus.Exited(0))]);

        var cut = _ctx.Render<Feed>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=run-failed]")));
        var row = cut.Find(".feed-run-failed");
        Assert.Equal("700", row.GetAttribute("data-pid"));
        Assert.Equal("killed (SIGKILL)", row.QuerySelector("[data-testid=run-failed]")!.TextContent);
    }

    [Fact]
    public void A_folded_row_says_how_many_of_its_runs_failed()
    {
        var bash = Execs.Of(600, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail"], Now);
        var exprs = Enumerable.Range(1, 5).Select(n => Execs.Of(600 + n, "/usr/bin/expr", ["expr", $"{n}", "+", "1"], Now.AddSeconds(n), ancestry: [bash.AsAncestor(), Execs.Init])).ToArray();
        Append([bash, .. exprs], [End(exprs[1], TimeSpan.FromMilliseconds(1), ExitStatus.Exited(3)), End(exprs[3], TimeSpan.FromMilliseconds(1), ExitStatus.Killed(9)), End(exprs[4], TimeSpan.FromMilliseconds(1), ExitStatus.Exited(0))]);

        var cut = _ctx.Render<Feed>();

        cut.WaitForAssertion(() => Assert.Equal("2 failed", cut.Find("[data-testid=fold-failed]").TextContent));
        var fold = cut.Find("[data-testid=feed-fold]");
        Assert.Equal("5", fold.GetAttribute("data-count"));
        Assert.Contains("feed-run-failed", fold.GetAttribute("class"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fold_without_failed_runs_has_no_failed_count_and_its_opened_members_mark_their_own()
    {
        var bash = Execs.Of(600, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail"], Now);
        var exprs = Enumerable.Range(1, 4).Select(n => Execs.Of(600 + n, "/usr/bin/expr", ["expr", $"{n}", "+", "1"], Now.AddSeconds(n), ancestry: [bash.AsAncestor(), Execs.Init])).ToArray();
        Append([bash, .. exprs], [.. exprs.Select(e => End(e, TimeSpan.FromMilliseconds(1), ExitStatus.Exited(0)))]);
        var cut = _ctx.Render<Feed>();
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=feed-fold]")));
        Assert.Empty(cut.FindAll("[data-testid=fold-failed]"));

        var killed = Execs.Of(605, "/usr/bin/expr", ["expr", "5", "+", "1"], Now.AddSeconds(5), ancestry: [bash.AsAncestor(), Execs.Init]);
        Append([killed], [End(killed, TimeSpan.FromMilliseconds(1), ExitStatus.Killed(9))]);
        cut.WaitForAssertion(() => Assert.Equal("1 failed", cut.Find("[data-testid=fold-failed]").TextContent));

        await cut.InvokeAsync(() => cut.Find("[data-testid=feed-fold]").Click());
        cut.WaitForAssertion(() => Assert.Equal("605", cut.Find(".feed-run-failed.feed-member").GetAttribute("data-pid")));
    }

    [Fact]
    public void A_collapsed_group_in_the_graph_says_how_many_of_its_runs_failed()
    {
        var bash = Execs.Of(500, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail"], Now);
        var exprs = Enumerable.Range(1, 6).Select(n => Execs.Of(500 + n, "/usr/bin/expr", ["expr", $"{n}", "+", "1"], Now.AddSeconds(n), ancestry: [bash.AsAncestor(), Execs.Init])).ToArray();
        Append([bash, .. exprs], [End(exprs[0], TimeSpan.FromMilliseconds(1), ExitStatus.Exited(1)), End(exprs[2], TimeSpan.FromMilliseconds(1), ExitStatus.Killed(15)), End(exprs[5], TimeSpan.FromMilliseconds(1), ExitStatus.Exited(2)), End(exprs[4], TimeSpan.FromMilliseconds(1), ExitStatus.Exited(0))]);

        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, bash.Process.ToString()));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=graph-node][data-kind=group]")));
        var group = cut.Find("[data-testid=graph-node][data-kind=group]");
        Assert.Contains("pg-run-failed", group.GetAttribute("class"), StringComparison.Ordinal);
        Assert.Equal("3 failed", group.QuerySelector(".pg-badge")!.TextContent);
        Assert.DoesNotContain("pg-run-failed", cut.Find("[data-testid=graph-node][data-kind=root]").GetAttribute("class"), StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();

    private void Append(ExecEvent[] events, ProcessEnd[] ends) =>
        _ctx.Store.AppendCollectorBatch("test-collector", "test-host", ++_batch, 0, 0, events, ends);

    private static ProcessEnd End(ExecEvent exec, TimeSpan ran, ExitStatus status) =>
        new() { Process = exec.Process, Started = exec.Exec.Time, Time = exec.Exec.Time + ran, Status = status };
}
