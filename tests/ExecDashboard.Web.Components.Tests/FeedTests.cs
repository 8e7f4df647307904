using AngleSharp.Dom;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

public sealed class FeedTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    private DateTimeOffset Now => _ctx.Time.GetUtcNow();

    [Fact]
    public async Task Shows_a_script_tag_in_argv_as_literal_text()
    {
        await _ctx.AppendAsync(Execs.Of(4242, "/bin/sh", ["sh", "-c", "<script>alert('x')</script>"], Now));

        var cut = _ctx.Render<Feed>();

        var row = cut.Find("[data-testid=feed-row]");
        Assert.Contains("sh(4242)[-c <script>alert('x')</script>]", row.TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=feed] script"));
        Assert.Contains("&lt;script&gt;", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_row_shows_time_user_exec_and_chain_to_pid_1()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        await _ctx.AppendAsync(bash, Execs.Of(801, "/usr/bin/expr", ["expr", "1553", "+", "1"], Now.AddSeconds(1), uid: 8, ancestry: [bash.AsAncestor(), Execs.Init]));

        var cut = _ctx.Render<Feed>();

        var text = Rows(cut)[0].TextContent;
        Assert.Contains("12:00:01.000", text, StringComparison.Ordinal);
        Assert.Contains("8", Rows(cut)[0].QuerySelector(".feed-user")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("expr(801)[1553 + 1] -- bash(800)[/usr/sbin/sendmail -t] -- systemd(1)", text.Replace("\n", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Marks_failed_execs()
    {
        await _ctx.AppendAsync(Execs.Of(31, "/nonexistent", ["nonexistent"], Now, success: false), Execs.Of(32, "/bin/true", ["true"], Now.AddSeconds(1)));

        var cut = _ctx.Render<Feed>();

        var failed = Assert.Single(cut.FindAll(".feed-failed"));
        Assert.Equal("31", failed.GetAttribute("data-pid"));
        Assert.Contains("failed (-2)", failed.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_by_program_arguments_user_and_pid()
    {
        await _ctx.AppendAsync(
            Execs.Of(10, "/usr/bin/expr", ["expr", "1", "+", "1"], Now, uid: 0),
            Execs.Of(11, "/usr/bin/expr", ["expr", "2", "+", "1"], Now.AddSeconds(1), uid: 1000),
            Execs.Of(12, "/usr/bin/grep", ["grep", "needle"], Now.AddSeconds(2), uid: 1000));
        var cut = _ctx.Render<Feed>();
        ShowsPids(cut, ["12", "11", "10"]);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-exe]").Change("expr"));
        ShowsPids(cut, ["11", "10"]);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-user]").Change("1000"));
        ShowsPids(cut, ["11"]);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-exe]").Change(string.Empty));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-argv]").Change("NEEDLE"));
        ShowsPids(cut, ["12"]);

        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-argv]").Change(string.Empty));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-user]").Change(string.Empty));
        await cut.InvokeAsync(() => cut.Find("input[data-testid=filter-pid]").Change("10"));
        ShowsPids(cut, ["10"]);
    }

    [Fact]
    public async Task Descendants_filter_keeps_only_the_process_and_what_it_started()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        var child = Execs.Of(801, "/usr/bin/expr", ["expr", "1", "+", "1"], Now.AddSeconds(1), ancestry: [bash.AsAncestor(), Execs.Init]);
        var grandchild = Execs.Of(802, "/usr/bin/cat", ["cat"], Now.AddSeconds(2), ancestry: [child.AsAncestor(), bash.AsAncestor(), Execs.Init]);
        var other = Execs.Of(900, "/usr/bin/ls", ["ls"], Now.AddSeconds(3));
        await _ctx.AppendAsync(bash, child, grandchild, other);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo(ProcessLinks.FeedUnder(bash.Process));

        var cut = _ctx.Render<Feed>();

        // The process's label is read from SQLite, asynchronously.
        cut.WaitForAssertion(() => Assert.Contains("bash(800)", cut.Find("[data-testid=filter-under]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["802", "801", "800"], Pids(cut));
    }

    [Fact]
    public async Task Pausing_keeps_the_rows_and_counts_what_arrives_then_resume_shows_it()
    {
        await _ctx.AppendAsync(Execs.Of(1, "/bin/a", ["a"], Now));
        var cut = _ctx.Render<Feed>();
        await cut.InvokeAsync(() => cut.Find("[data-testid=pause]").Click());

        await _ctx.AppendAsync(Execs.Of(2, "/bin/b", ["b"], Now.AddSeconds(1)), Execs.Of(3, "/bin/c", ["c"], Now.AddSeconds(2)));
        _ctx.PassNotifyInterval();
        cut.WaitForAssertion(() => Assert.Contains("2 new", cut.Find("[data-testid=resume]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["1"], Pids(cut));

        await _ctx.AppendAsync(Execs.Of(4, "/bin/d", ["d"], Now.AddSeconds(3)));
        _ctx.PassNotifyInterval();
        cut.WaitForAssertion(() => Assert.Contains("3 new", cut.Find("[data-testid=resume]").TextContent, StringComparison.Ordinal));

        await cut.InvokeAsync(() => cut.Find("[data-testid=resume]").Click());
        Assert.Equal(["4", "3", "2", "1"], Pids(cut));
        Assert.NotEmpty(cut.FindAll("[data-testid=pause]"));
    }

    [Fact]
    public async Task Following_shows_new_execs_as_they_arrive()
    {
        var cut = _ctx.Render<Feed>();
        Assert.NotEmpty(cut.FindAll("[data-testid=feed-empty]"));

        await _ctx.AppendAsync(Execs.Of(7, "/bin/new", ["new"], Now));
        _ctx.PassNotifyInterval();

        cut.WaitForAssertion(() => Assert.Equal(["7"], Pids(cut)));
    }

    [Fact]
    public async Task Beyond_the_newest_rows_older_ones_load_from_the_store_and_the_feed_pauses()
    {
        var many = Enumerable.Range(1, Feed.MaxRows + 3).Select(i => Execs.Of(i, "/bin/x", ["x"], Now.AddMilliseconds(i))).ToArray();
        await _ctx.AppendAsync(many);
        var cut = _ctx.Render<Feed>();
        Assert.StartsWith($"{Feed.MaxRows} execs (newest; more are stored)", cut.Find("[data-testid=feed-status]").TextContent, StringComparison.Ordinal);

        await cut.InvokeAsync(() => cut.Find("[data-testid=load-older]").Click());

        cut.WaitForAssertion(() => Assert.Equal($"{Feed.MaxRows + 3} execs, live, paused", cut.Find("[data-testid=feed-status]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=load-older]"));
    }

    [Fact]
    public async Task Clicking_a_row_opens_its_process()
    {
        var e = Execs.Of(55, "/bin/x", ["x"], Now);
        await _ctx.AppendAsync(e);
        var cut = _ctx.Render<Feed>();

        await cut.InvokeAsync(() => cut.Find("[data-testid=feed-row]").Click());

        cut.WaitForAssertion(() => Assert.EndsWith(ProcessLinks.Process(e.Process), _ctx.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal));
    }

    // MudBlazor inputs hand a change on asynchronously: wait for the rows to follow.
    private static void ShowsPids(IRenderedComponent<Feed> cut, string[] expected) =>
        cut.WaitForAssertion(() => Assert.Equal(expected, Pids(cut)));

    // Rows are found anew on each call: a Find() result goes stale when the component re-renders.
    private static IReadOnlyList<IElement> Rows(IRenderedComponent<Feed> cut) => cut.FindAll("[data-testid=feed-row]");

    private static string[] Pids(IRenderedComponent<Feed> cut) => [.. Rows(cut).Select(r => r.GetAttribute("data-pid")!)];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
