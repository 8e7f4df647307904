using AngleSharp.Dom;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Trees;
using ExecDashboard.TestSupport.Scenarios;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Components.Controls;
using ExecDashboard.Web.Components.Tests.Support;
using Blazor.Diagrams.Core.Geometry;
using Microsoft.JSInterop;
using MudBlazor.Services;
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
    public void Lays_out_ancestors_above_the_root_and_descendants_below_it_centred()
    {
        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [3]);
        GraphAncestor[] ancestors = [new("b/2/2", "sshd(2)[]", Provenance.ProcSnapshot), new("b/1/1", "systemd(1)[]", Provenance.ProcSnapshot)];

        var dto = ProcessGraphMapper.Map(DescendantTreeBuilder.Build(loop.Events, loop.Caller.Key), ancestors);

        Assert.Equal(["systemd(1)[]", "sshd(2)[]"], dto.Nodes.Take(2).Select(n => n.Label));
        var root = dto.Nodes.Single(n => n.Kind == "root");
        var below = dto.Nodes.Where(n => n.Kind != "ancestor").ToList();
        Assert.All(dto.Nodes.Take(2), a => Assert.True(a.Y < root.Y));
        Assert.All(dto.Nodes.Take(2), a => Assert.Equal(root.X + (root.Width / 2), a.X + (a.Width / 2), 6));
        Assert.All(below.Skip(1), n => Assert.True(n.Y > root.Y));
        Assert.Contains(dto.Edges, e => e.Source == "up:b/2/2" && e.Target == root.Id);
        Assert.Equal(3, dto.TreeNodes);
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
    public void Draws_every_node_as_a_card_with_its_label_kind_and_provenance()
    {
        var dto = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2, 4]));

        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));

        var cards = cut.FindAll(".pg-node");
        Assert.Equal(dto.Nodes.Select(n => n.Label), cards.Select(c => c.QuerySelector(".pg-label")!.TextContent));
        Assert.Equal(["root", "group", "group"], cards.Select(c => c.GetAttribute("data-kind")));
        Assert.Equal(["pg-proc-snapshot", "pg-exec-seen", "pg-exec-seen"], cards.Select(c => c.ClassList.Single(k => k is "pg-exec-seen" or "pg-proc-snapshot" or "pg-inferred")));
        Assert.Equal(["/proc", "exec", "exec"], cards.Select(c => c.QuerySelector(".pg-badge")!.TextContent));
        Assert.Equal(dto.Nodes.Count, cut.FindAll(".diagram-node").Count);
        Assert.Equal(dto.Edges.Count, cut.FindAll("path.pg-link").Count);
        Assert.Equal("3", cut.Find(".process-graph").GetAttribute("data-nodes"));
        Assert.Equal("true", cut.Find(".process-graph").GetAttribute("data-ready"));

        // Sizes come from the layout: the browser is asked to watch the canvas, never a node.
        Assert.Single(_ctx.JSInterop.Invocations, i => i.Identifier == "ZBlazorDiagrams.observe");
    }

    [Fact]
    public void Says_how_many_nodes_were_cut_above_the_limit()
    {
        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]);
        var cousins = Enumerable.Range(0, 6).Select(i => Execs.Of(960 + i, "/usr/bin/cat", ["cat", $"file{i}"], T0.AddSeconds(9 + i), ancestry: [loop.Caller, loop.Init]));
        var graph = DescendantTreeBuilder.Build([.. loop.Events, .. cousins], loop.Caller.Key, new DescendantTreeOptions { MaxNodes = 4 });
        var dto = ProcessGraphMapper.Map(graph);

        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));

        Assert.Equal(4, cut.FindAll(".diagram-node").Count);
        Assert.Equal($"{graph.CutNodes} more nodes ({graph.CutExecs} execs) not drawn", cut.Find("[data-testid=graph-cut]").TextContent);
        Assert.True(graph.CutNodes > 0);
    }

    [Fact]
    public void A_failed_exec_is_marked_and_its_label_struck_through()
    {
        var parent = Execs.Of(700, "/usr/bin/bash", ["bash"], T0);
        var failed = Execs.Of(701, "/usr/bin/nope", ["nope", "x"], T0.AddSeconds(1), ancestry: [parent.AsAncestor(), Execs.Init], success: false);
        var dto = ProcessGraphMapper.Map(DescendantTreeBuilder.Build([parent, failed], parent.Process));

        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));

        var card = cut.FindAll(".pg-node").Single(c => c.TextContent.Contains("nope(701)", StringComparison.Ordinal));
        Assert.Contains("pg-failed", card.ClassList);
        Assert.Equal("failed", card.QuerySelector(".pg-badge")!.TextContent);
    }

    [Fact]
    public async Task A_click_on_a_node_reports_that_node()
    {
        var dto = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]));
        ProcessGraphNodeDto? selected = null;
        var cut = _ctx.Render<GraphControl>(p => p
            .Add(x => x.Graph, dto)
            .Add(x => x.OnNodeSelected, (ProcessGraphNodeDto n) => selected = n));

        await Node(cut, dto.Nodes[1].Id).TriggerEventAsync("onpointerdown", new Microsoft.AspNetCore.Components.Web.PointerEventArgs());
        await Node(cut, dto.Nodes[1].Id).TriggerEventAsync("onpointerup", new Microsoft.AspNetCore.Components.Web.PointerEventArgs());

        cut.WaitForAssertion(() => Assert.Equal(dto.Nodes[1], selected));
    }

    [Fact]
    public async Task Hovering_a_node_shows_its_argv_cwd_uid_and_time()
    {
        var parent = Execs.Of(700, "/usr/bin/make", ["make"], T0);
        var child = Execs.Of(701, "/usr/bin/cc", ["cc", "-c", "a b.c"], T0.AddSeconds(1), uid: 1000, ancestry: [parent.AsAncestor(), Execs.Init]);
        var dto = ProcessGraphMapper.Map(DescendantTreeBuilder.Build([parent, child], parent.Process));
        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));

        await Node(cut, dto.Nodes[1].Id).TriggerEventAsync("onmouseenter", new Microsoft.AspNetCore.Components.Web.MouseEventArgs());

        cut.WaitForAssertion(() =>
        {
            var details = cut.Find("[data-testid=graph-details]").TextContent;
            Assert.Contains("argv: cc -c a b.c", details, StringComparison.Ordinal);
            Assert.Contains($"cwd: {child.Exec.Cwd}", details, StringComparison.Ordinal);
            Assert.Contains("uid 1000", details, StringComparison.Ordinal);
            Assert.Contains("2026-11-24 12:00:01.000", details, StringComparison.Ordinal);
        });
        await Node(cut, dto.Nodes[1].Id).TriggerEventAsync("onmouseleave", new Microsoft.AspNetCore.Components.Web.MouseEventArgs());
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=graph-details]")));
    }

    [Fact]
    public void Growing_keeps_the_drawn_nodes_and_the_viewport_the_person_chose()
    {
        var first = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]));
        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, first));
        var diagram = cut.Instance.Diagram;
        var rootModel = diagram.Nodes.Single(n => n.Id == "root");
        cut.Find("[data-testid=graph-zoom-in]").Click();
        cut.Find("[data-testid=graph-zoom-in]").Click();
        var (zoom, pan) = (diagram.Zoom, diagram.Pan);

        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]);
        var extra = Execs.Of(950, "/usr/bin/cat", ["cat", "queue"], T0.AddSeconds(5), ancestry: [loop.Caller, loop.Init]);
        var grown = Map(loop, extra);
        cut.Render(p => p.Add(x => x.Graph, grown));

        Assert.Same(rootModel, diagram.Nodes.Single(n => n.Id == "root"));
        Assert.Equal(grown.Nodes.Count, diagram.Nodes.Count);
        Assert.Equal(zoom, diagram.Zoom);
        Assert.Equal(pan, diagram.Pan);
        Assert.Contains(cut.FindAll(".pg-label"), l => l.TextContent == "cat(950)[queue]");
    }

    [Fact]
    public void Opening_another_process_in_the_same_view_fits_its_tree_again()
    {
        var loop = SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2, 4]);
        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, Map(loop)));
        var diagram = cut.Instance.Diagram;
        var fitted = diagram.Zoom;
        cut.Find("[data-testid=graph-zoom-in]").Click();

        var run = loop.Events.First(e => e.Exec.Exe == "/usr/bin/bash");
        cut.Render(p => p.Add(x => x.Graph, ProcessGraphMapper.Map(DescendantTreeBuilder.Build(loop.Events, run.Process))));

        Assert.NotEqual(fitted * 1.25, diagram.Zoom, 6);
        Assert.All(diagram.Nodes, n => Assert.InRange((n.Position.X * diagram.Zoom) + diagram.Pan.X, -0.01, 800));
    }

    [Fact]
    public void Zoom_buttons_zoom_around_the_middle_and_fit_brings_the_whole_tree_back()
    {
        var dto = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2, 4]));
        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));
        var diagram = cut.Instance.Diagram;
        var fitted = diagram.Zoom;

        cut.Find("[data-testid=graph-zoom-out]").Click();
        Assert.Equal(fitted / 1.25, diagram.Zoom, 6);
        cut.Find("[data-testid=graph-fit]").Click();

        Assert.Equal(fitted, diagram.Zoom, 6);
        var bounds = diagram.Nodes.Select(n => n.GetBounds()!).ToList();
        Assert.All(bounds, b =>
        {
            Assert.InRange((b.Left * diagram.Zoom) + diagram.Pan.X, -0.01, 800);
            Assert.InRange((b.Bottom * diagram.Zoom) + diagram.Pan.Y, 0, 560.01);
        });
    }

    // Blazor Server: the browser can be gone (navigation, reload, lost circuit) while the diagram
    // still calls into it. Z.Blazor.Diagrams 3.0.4.1 catches those calls itself; these pin that down.
    [Fact]
    public async Task Leaving_the_page_after_the_browser_went_away_throws_nothing()
    {
        _ctx.JSInterop.SetupVoid("ZBlazorDiagrams.unobserve", _ => true).SetException(new JSDisconnectedException("The circuit is gone."));
        var dto = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]));
        var cut = _ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));
        Assert.NotEmpty(cut.FindAll(".diagram-node"));

        await _ctx.DisposeComponentsAsync();

        Assert.Single(_ctx.JSInterop.Invocations, i => i.Identifier == "ZBlazorDiagrams.unobserve");
        AssertNoUnhandledException(_ctx);
    }

    [Fact]
    public async Task A_lost_circuit_while_the_canvas_is_first_measured_throws_nothing()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        ctx.JSInterop.Setup<Rectangle>("ZBlazorDiagrams.getBoundingClientRect", _ => true).SetException(new JSDisconnectedException("The circuit is gone."));
        var dto = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]));

        var cut = ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));

        Assert.Equal("false", cut.Find(".process-graph").GetAttribute("data-ready"));
        AssertNoUnhandledException(ctx);
    }

    [Fact]
    public async Task A_prerendered_page_draws_no_diagram_so_its_disposal_calls_no_javascript()
    {
        await using var ctx = new BunitContext();
        ctx.Services.AddMudServices();
        ctx.JSInterop.Mode = JSRuntimeMode.Loose;
        ctx.Renderer.SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Static", isInteractive: false));
        var dto = Map(SendmailLoopEvents.Create(T0, TimeSpan.FromMilliseconds(10), queueSizes: [2]));

        var cut = ctx.Render<GraphControl>(p => p.Add(x => x.Graph, dto));
        Assert.Empty(cut.FindAll(".diagram-canvas"));
        await ctx.DisposeComponentsAsync();

        Assert.DoesNotContain(ctx.JSInterop.Invocations, i => i.Identifier.StartsWith("ZBlazorDiagrams.", StringComparison.Ordinal));
        AssertNoUnhandledException(ctx);
    }

    private static void AssertNoUnhandledException(BunitContext ctx)
    {
        var unhandled = ctx.Renderer.UnhandledException;
        Assert.False(unhandled.IsCompleted, unhandled.IsCompleted ? unhandled.Result.ToString() : null);
    }

    private static ProcessGraphDto Map(SendmailLoopEvents loop, params Domain.Events.ExecEvent[] more) =>
        ProcessGraphMapper.Map(DescendantTreeBuilder.Build([.. loop.Events, .. more], loop.Caller.Key));

    private static IElement Node(IRenderedComponent<GraphControl> cut, string id) => cut.Find($".diagram-node[data-node-id='{id}']");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
