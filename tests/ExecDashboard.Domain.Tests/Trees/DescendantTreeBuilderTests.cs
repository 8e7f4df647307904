using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Tests.Support;
using ExecDashboard.Domain.Trees;
using ExecDashboard.TestSupport.Execs;
using static ExecDashboard.Domain.Tests.Support.ExecEvents;

namespace ExecDashboard.Domain.Tests.Trees;

public sealed class DescendantTreeBuilderTests
{
    private static readonly Ancestor Init = Ancestor(Key(1, 1), "/usr/lib/systemd/systemd", "/sbin/init");

    [Fact]
    public void Collapses_repeated_children_into_a_counted_node_with_an_argument_template()
    {
        var graph = DescendantTreeBuilder.Build(SendmailLoop.Events(10, 20, 30), SendmailLoop.Sendmail(0));

        Assert.Equal(["bash(1000)[/usr/sbin/sendmail -t]", "expr ×10 [N + 1]"], graph.Nodes.Select(n => n.Label));
        var group = graph.Nodes[1];
        Assert.Equal(GraphNodeKind.Group, group.Kind);
        Assert.Equal(10, group.Count);
        Assert.Equal(["expr", "N", "+", "1"], group.Argv);
        Assert.Equal(5, group.SampleKeys.Count);
        Assert.Equal(Key(2000), group.SampleKeys[0]);
        Assert.Equal([new GraphEdge("n0", "n1", GraphEdgeKind.Spawn)], graph.Edges);
        Assert.Equal(0, graph.CutNodes);
    }

    [Fact]
    public void A_group_counts_its_members_with_thousands_separators_as_the_timeline_does()
    {
        var graph = DescendantTreeBuilder.Build(SendmailLoop.Events(1200), SendmailLoop.Sendmail(0));

        Assert.Equal("expr ×1,200 [N + 1]", graph.Nodes[1].Label);
    }

    [Fact]
    public void Groups_repeated_parents_and_merges_their_children()
    {
        var graph = DescendantTreeBuilder.Build(SendmailLoop.Events(10, 20, 30), SendmailLoop.Caller);

        Assert.Equal(GraphNodeKind.Root, graph.Nodes[0].Kind);
        Assert.Equal(["esmtp-wrapper(500)[]", "bash ×3 [/usr/sbin/sendmail -t]", "expr ×60 [N + 1]"], graph.Nodes.Select(n => n.Label));
        Assert.Equal([1, 3, 60], graph.Nodes.Select(n => n.Count));
        Assert.Equal([new GraphEdge("n0", "n1", GraphEdgeKind.Spawn), new GraphEdge("n1", "n2", GraphEdgeKind.Spawn)], graph.Edges);
    }

    [Fact]
    public void Positions_that_vary_with_text_become_a_star()
    {
        var parent = Ancestor(Key(10), "/usr/bin/bash", "bash");
        var events = new[]
        {
            Exec(Key(11), [parent, Init], T0, "/usr/bin/grep", ["grep", "-q", "alpha", "1"]),
            Exec(Key(12), [parent, Init], T0.AddSeconds(1), "/usr/bin/grep", ["grep", "-q", "beta", "2"]),
            Exec(Key(13), [parent, Init], T0.AddSeconds(2), "/usr/bin/grep", ["grep", "-c"]),
        };

        var graph = DescendantTreeBuilder.Build(events, Key(10), new DescendantTreeOptions { DistinctCollapseFrom = 2 });

        Assert.Equal(["bash(10)[]", "grep ×2 [-q * N]", "grep(13)[-c]"], graph.Nodes.Select(n => n.Label));
    }

    [Fact]
    public void Siblings_that_differ_in_text_stay_apart_until_there_are_many()
    {
        var parent = Ancestor(Key(10), "/usr/bin/make", "make");
        var events = Enumerable.Range(0, 5)
            .Select(i => Exec(Key(11 + i), [parent, Init], T0.AddSeconds(i), "/usr/bin/dash", ["sh", "-c", $"cc -c unit{i}.c"]))
            .ToArray();

        var apart = DescendantTreeBuilder.Build(events, Key(10));
        var collapsed = DescendantTreeBuilder.Build(events, Key(10), new DescendantTreeOptions { DistinctCollapseFrom = 5 });

        Assert.Equal(6, apart.Nodes.Count);
        Assert.Equal("dash(11)[-c cc -c unit0.c]", apart.Nodes[1].Label);
        Assert.Equal(["make(10)[]", "dash ×5 [-c cc -c *]"], collapsed.Nodes.Select(n => n.Label));
    }

    [Fact]
    public void Sibling_subtrees_of_the_same_shape_collapse_into_one_group_over_their_merged_children()
    {
        // 180 jobs drawn one by one would take 540 nodes, past the limit of 500: today's 200 would cut them.
        var graph = DescendantTreeBuilder.Build(Build(jobs: 180), Key(10));

        Assert.Equal(
            ["make(10)[-j8]", "dash ×180 [-c cc -c *]", "cc1 ×180 [-quiet *]", "as ×180 [-o *]"],
            graph.Nodes.Select(n => n.Label));
        Assert.Equal([1, 180, 180, 180], graph.Nodes.Select(n => n.Count));
        Assert.Equal([new GraphEdge("n0", "n1", GraphEdgeKind.Spawn), new GraphEdge("n1", "n2", GraphEdgeKind.Spawn), new GraphEdge("n1", "n3", GraphEdgeKind.Spawn)], graph.Edges);
        Assert.Equal(0, graph.CutNodes);
    }

    [Fact]
    public void A_build_of_133_jobs_stays_node_by_node()
    {
        var graph = DescendantTreeBuilder.Build(Build(jobs: 133), Key(10));

        Assert.Equal(400, graph.Nodes.Count);
        Assert.DoesNotContain(graph.Nodes, n => n.Kind == GraphNodeKind.Group);
    }

    [Fact]
    public void A_subtree_of_another_shape_stays_out_of_the_group_of_its_siblings()
    {
        // Job 7 also links: its subtree is not the shape of the other 299, so it is drawn on its own.
        var graph = DescendantTreeBuilder.Build(Build(jobs: 300, linking: 7), Key(10));

        Assert.Equal(
            ["make(10)[-j8]", "dash ×299 [-c cc -c *]", "dash(1021)[-c cc -c unit7.c]", "cc1 ×299 [-quiet *]", "as ×299 [-o *]", "cc1(2021)[-quiet unit7.c]", "as(3021)[-o unit7.o]", "ld(4021)[unit7.o]"],
            graph.Nodes.Select(n => n.Label));
    }

    /// <summary>make → jobs × (dash -c 'cc -c unitI.c' → cc1, as), in time order; job <paramref name="linking"/> also runs ld.</summary>
    private static ExecEvent[] Build(int jobs, int linking = -1)
    {
        var make = Ancestor(Key(10), "/usr/bin/make", "make", "-j8");
        var events = new List<ExecEvent> { Exec(Key(10), [Init], T0, "/usr/bin/make", ["make", "-j8"]) };
        for (var job = 0; job < jobs; job++)
        {
            var time = T0.AddMilliseconds(10 * (job + 1));
            var argv = new[] { "sh", "-c", $"cc -c unit{job}.c" };
            var sh = Ancestor(Key(1014 + job), "/usr/bin/dash", argv);
            events.Add(Exec(Key(1014 + job), [make, Init], time, "/usr/bin/dash", argv));
            events.Add(Exec(Key(2014 + job), [sh, make, Init], time.AddMilliseconds(1), "/usr/lib/gcc/cc1", ["cc1", "-quiet", $"unit{job}.c"]));
            events.Add(Exec(Key(3014 + job), [sh, make, Init], time.AddMilliseconds(2), "/usr/bin/as", ["as", "-o", $"unit{job}.o"]));
            if (job == linking)
            {
                events.Add(Exec(Key(4014 + job), [sh, make, Init], time.AddMilliseconds(3), "/usr/bin/ld", ["ld", $"unit{job}.o"]));
            }
        }

        return [.. events];
    }

    [Fact]
    public void Labels_escape_control_characters_so_a_node_stays_one_line()
    {
        var parent = Ancestor(Key(10), "/usr/bin/bash", "bash");
        var events = new[] { Exec(Key(11), [parent, Init], T0, "/usr/bin/printf", ["printf", "a\nb\tc\u001b"]) };

        var graph = DescendantTreeBuilder.Build(events, Key(11));

        Assert.Equal("printf(11)[a\\nb\\tc\\x1b]", graph.Nodes[0].Label);
    }

    [Fact]
    public void Follows_exec_chains_and_attaches_children_to_the_image_that_spawned_them()
    {
        var shell = Key(20);
        var asShell = Ancestor(shell, "/bin/sh", "sh", "-c", "make");
        var asMake = Ancestor(shell, "/usr/bin/make", "make");
        var events = new[]
        {
            Exec(shell, [Init], T0, "/bin/sh", ["sh", "-c", "make"]),
            Exec(Key(21), [asShell, Init], T0.AddSeconds(1), "/usr/bin/date", ["date"]),
            Exec(shell, [Init], T0.AddSeconds(2), "/usr/bin/make", ["make"]),
            Exec(Key(22), [asMake, Init], T0.AddSeconds(3), "/usr/bin/cc", ["cc", "a.c"]),
        };

        var graph = DescendantTreeBuilder.Build(events, shell);

        Assert.Equal(["sh(20)[-c make]", "make(20)[]", "date(21)[]", "cc(22)[a.c]"], graph.Nodes.Select(n => n.Label));
        Assert.Contains(new GraphEdge("n0", "n1", GraphEdgeKind.Exec), graph.Edges);
        Assert.Contains(new GraphEdge("n0", "n2", GraphEdgeKind.Spawn), graph.Edges);
        Assert.Contains(new GraphEdge("n1", "n3", GraphEdgeKind.Spawn), graph.Edges);
    }

    [Fact]
    public void Walks_through_a_forked_subshell_that_never_exec_d()
    {
        var bash = Ancestor(Key(30), "/usr/bin/bash", "bash", "job.sh");
        var subshell = Ancestors.Of(Key(31), "/usr/bin/bash", Provenance.Inferred, "bash", "job.sh");
        var events = new[]
        {
            Exec(Key(32), [subshell, bash, Init], T0, "/usr/bin/sleep", ["sleep", "1"]),
        };

        var graph = DescendantTreeBuilder.Build(events, Key(30));

        Assert.Equal(["bash(30)[job.sh]", "bash(31)[job.sh]", "sleep(32)[1]"], graph.Nodes.Select(n => n.Label));
        Assert.Equal(GraphNodeKind.NoExecSeen, graph.Nodes[1].Kind);
        Assert.Equal(Provenance.Inferred, graph.Nodes[1].Provenance);
    }

    [Fact]
    public void Stops_at_the_node_limit_and_counts_what_was_cut()
    {
        var parent = Ancestor(Key(10), "/usr/bin/bash", "bash");
        var events = Enumerable.Range(0, 8)
            .Select(i => Exec(Key(100 + i), [parent, Init], T0.AddSeconds(i), $"/usr/bin/tool{i}", [$"tool{i}"]))
            .ToList();

        var graph = DescendantTreeBuilder.Build(events, Key(10), new DescendantTreeOptions { MaxNodes = 5 });

        Assert.Equal(5, graph.Nodes.Count);
        Assert.Equal(4, graph.CutNodes);
        Assert.Equal(4, graph.CutExecs);
        Assert.All(graph.Edges, e => Assert.Contains(graph.Nodes, n => n.Id == e.Target));
    }

    [Fact]
    public void A_process_that_spawned_nothing_is_a_lone_root()
    {
        var graph = DescendantTreeBuilder.Build(SendmailLoop.Events(3), Key(2000));

        Assert.Equal("expr(2000)[1 + 1]", Assert.Single(graph.Nodes).Label);
        Assert.Equal(GraphNodeKind.Root, graph.Nodes[0].Kind);
        Assert.Empty(graph.Edges);
    }
}
