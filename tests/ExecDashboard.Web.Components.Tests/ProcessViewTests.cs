using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Components.Controls;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;

namespace ExecDashboard.Web.Components.Tests;

public sealed class ProcessViewTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    private DateTimeOffset Now => _ctx.Time.GetUtcNow();

    [Fact]
    public async Task Shows_the_chain_to_pid_1_with_a_provenance_badge_per_ancestor()
    {
        var sshd = Ancestors.Of(new ProcessKey(Execs.Boot, 400, 40), "/usr/sbin/sshd", Provenance.ProcSnapshot, "sshd: admin");
        var shell = Ancestors.Inferred(new ProcessKey(Execs.Boot, 450, 45));
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now, ancestry: [shell, sshd, Execs.Init]);
        var expr = Execs.Of(801, "/usr/bin/expr", ["expr", "<b>1</b>", "+", "1"], Now.AddSeconds(1), ancestry: [bash.AsAncestor(), shell, sshd, Execs.Init]);
        await _ctx.AppendAsync(bash, expr);

        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, expr.Process.ToString()));

        cut.WaitForAssertion(() => Assert.Equal(5, cut.FindAll("[data-testid=ancestry-step]").Count));
        var steps = cut.FindAll("[data-testid=ancestry-step]");
        Assert.Equal("expr(801)[<b>1</b> + 1]", steps[0].QuerySelector(".ancestry-label")!.TextContent);
        Assert.Equal("bash(800)[/usr/sbin/sendmail -t]", steps[1].QuerySelector(".ancestry-label")!.TextContent);
        Assert.Equal(
            ["exec-seen", "exec-seen", "inferred", "proc-snapshot", "proc-snapshot"],
            steps.Select(s => s.QuerySelector(".provenance-badge")!.GetAttribute("data-provenance")));
        Assert.Equal(
            ["exec seen", "exec seen", "inferred", "/proc snapshot", "/proc snapshot"],
            steps.Select(s => s.QuerySelector(".provenance-badge")!.TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=ancestry] b"));
    }

    [Fact]
    public async Task Draws_the_descendant_tree_with_repeated_children_as_one_node()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        var children = Enumerable.Range(1, 4)
            .Select(n => Execs.Of(900 + n, "/usr/bin/expr", ["expr", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "+", "1"], Now.AddSeconds(n), ancestry: [bash.AsAncestor(), Execs.Init]));
        await _ctx.AppendAsync([bash, .. children]);
        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, bash.Process.ToString()));

        cut.WaitForAssertion(() => Assert.Contains("4 execs below", cut.Find("[data-testid=descendant-count]").TextContent, StringComparison.Ordinal));
        var graph = cut.FindComponent<Controls.ProcessGraph>().Instance.Graph;
        Assert.Equal(["systemd(1)", "bash(800)[/usr/sbin/sendmail -t]", "expr ×4 [N + 1]"], graph.Nodes.Select(n => n.Label));
        Assert.Equal(["ancestor", "root", "group"], graph.Nodes.Select(n => n.Kind));
        Assert.Equal(3, cut.FindAll(".diagram-node").Count);
    }

    [Fact]
    public async Task The_graph_grows_as_children_arrive_at_most_once_a_second()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        await _ctx.AppendAsync(bash, Execs.Of(901, "/usr/bin/expr", ["expr", "1", "+", "1"], Now.AddSeconds(1), ancestry: [bash.AsAncestor(), Execs.Init]));
        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, bash.Process.ToString()));
        cut.WaitForAssertion(() => Assert.Contains("1 execs below", cut.Find("[data-testid=descendant-count]").TextContent, StringComparison.Ordinal));

        await _ctx.AppendAsync(
            Execs.Of(902, "/usr/bin/expr", ["expr", "2", "+", "1"], Now.AddSeconds(2), ancestry: [bash.AsAncestor(), Execs.Init]),
            Execs.Of(903, "/usr/bin/cat", ["cat", "queue"], Now.AddSeconds(3), ancestry: [bash.AsAncestor(), Execs.Init]));
        _ctx.PassNotifyInterval();
        _ctx.Time.Advance(Pages.Process.GraphInterval);

        cut.WaitForAssertion(() => Assert.Contains("3 execs below", cut.Find("[data-testid=descendant-count]").TextContent, StringComparison.Ordinal));
        var graph = cut.FindComponent<Controls.ProcessGraph>().Instance.Graph;
        Assert.Equal(["bash(800)[/usr/sbin/sendmail -t]", "expr ×2 [N + 1]", "cat(903)[queue]"], graph.Nodes.Where(n => n.Kind != "ancestor").Select(n => n.Label));
    }

    [Fact]
    public async Task An_exec_also_held_by_an_imported_copy_of_the_recording_shows_once()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        await _ctx.AppendAsync(bash);
        _ctx.Import("Copy", [bash]);

        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, bash.Process.ToString()));

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=process-exec]")));
    }

    [Fact]
    public void Says_so_when_the_key_is_not_a_process_key()
    {
        var cut = _ctx.Render<Process>(p => p.Add(x => x.Key, "not-a-key"));

        Assert.Contains("is not a process key", cut.Find("[data-testid=process-error]").TextContent, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
