using ExecDashboard.Domain.Trees;
using ExecDashboard.TestSupport.Scenarios;
using ExecDashboard.Web.Components.Controls;
using ExecDashboard.Web.Components.Tests.Support;
using GraphControl = ExecDashboard.Web.Components.Controls.ProcessGraph;

namespace ExecDashboard.Web.Components.Tests;

public sealed class ProcessGraphTests : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly DashboardTestContext _ctx = new();

    [Fact]
    public void Maps_the_sendmail_loop_to_a_caller_with_runs_each_collapsing_its_expr_children()
    {
        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [3, 5, 7]);

        var dto = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(loop.Events, loop.Caller.Key));

        Assert.Equal("root", dto.RootId);
        Assert.Equal("root", dto.Nodes[0].Kind);
        var runs = Assert.Single(dto.Nodes, n => n.Kind == "group" && n.Label.StartsWith("bash", StringComparison.Ordinal));
        Assert.Equal("bash ×3 [/usr/sbin/sendmail -t]", runs.Label);
        var exprs = Assert.Single(dto.Nodes, n => n.Label.StartsWith("expr", StringComparison.Ordinal));
        Assert.Equal("expr ×15 [N + 1]", exprs.Label);
        Assert.Equal(15, exprs.Count);
        Assert.Equal("exec-seen", exprs.Provenance);
        var ids = dto.Nodes.Select(n => n.Id).ToHashSet();
        Assert.Equal(dto.Nodes.Count, ids.Count);
        Assert.All(dto.Edges, e => Assert.True(ids.Contains(e.Source) && ids.Contains(e.Target)));
        Assert.Contains(dto.Edges, e => e.Source == runs.Id && e.Target == exprs.Id && e.Kind == "spawn");
    }

    [Fact]
    public void Node_ids_stay_the_same_as_the_tree_grows()
    {
        var small = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2, 3]);
        var large = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2, 3, 9]);

        var before = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(small.Events, small.Caller.Key));
        var after = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(large.Events, large.Caller.Key));

        Assert.Equal(before.Nodes.Select(n => n.Id), after.Nodes.Select(n => n.Id));
        Assert.Equal("expr ×14 [N + 1]", after.Nodes.Single(n => n.Kind == "group" && n.Label.StartsWith("expr", StringComparison.Ordinal)).Label);
    }

    [Fact]
    public void Hands_the_graph_to_the_module_on_first_render_and_only_changes_afterwards()
    {
        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]);
        var first = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(loop.Events, loop.Caller.Key));
        var module = _ctx.JSInterop.SetupModule("./Components/Controls/ProcessGraph.razor.js");
        module.SetupVoid("create", _ => true).SetVoidResult();
        module.SetupVoid("update", _ => true).SetVoidResult();

        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, first));
        cut.Render(p => p.Add(x => x.Graph, first));
        var grown = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2, 4]).Events, loop.Caller.Key));
        cut.Render(p => p.Add(x => x.Graph, grown));

        Assert.Same(first, module.VerifyInvoke("create").Arguments[2]);
        Assert.Same(grown, Assert.Single(module.Invocations["update"]).Arguments[1]);
    }

    [Fact]
    public async Task A_click_on_a_node_reports_that_node()
    {
        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]);
        var dto = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(loop.Events, loop.Caller.Key));
        ProcessGraphNodeDto? selected = null;
        var cut = _ctx.Render<GraphControl>(p => p
            .Add(x => x.Graph, dto)
            .Add(x => x.OnNodeSelected, (ProcessGraphNodeDto n) => selected = n));

        await cut.InvokeAsync(() => cut.Instance.NodeClicked(dto.Nodes[1].Id));

        Assert.Equal(dto.Nodes[1], selected);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
