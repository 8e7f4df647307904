using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Trees;
using DescendantGraph = ExecDashboard.Domain.Trees.ProcessGraph;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// Maps the domain's descendant tree to the DTOs the graph draws, laid out as a tidy tree: the
/// root's ancestors in a column above it, its descendants below, wide families wrapped into rows.
/// </summary>
public static class ProcessGraphMapper
{
    /// <summary>Node height and the distance between the tops of two rows, in diagram pixels.</summary>
    public const double NodeHeight = 30;
    public const double RowPitch = 64;

    /// <summary>Labels are cut (with an ellipsis) at this width; the full text is on hover.</summary>
    public const double MaxNodeWidth = 340;
    public const double MinNodeWidth = 90;

    // Monospace at 12px is about 7.2px a character; the badge (up to "inferred" at 10px), the
    // stripe, the padding and the gap add the rest (measured in Chromium).
    private const double CharWidth = 7.3;
    private const double Chrome = 80;

    /// <summary>The lane left of a wrapped family where its links run down.</summary>
    private const double TrunkMargin = 24;

    // The graph spans the page's width (about 1,050 by 630 px at 1400 × 900): rows this wide keep a
    // wrapped build tree about as wide as it is tall, so fitting it is not bound by height alone.
    private static readonly TidyTreeOptions Layout = new() { HorizontalGap = 14, MaxRowWidth = 5600, TrunkMargin = TrunkMargin };

    public static ProcessGraphDto Map(DescendantGraph graph, IReadOnlyList<GraphAncestor>? ancestors = null)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Nodes.Count == 0)
        {
            return ProcessGraphDto.Empty;
        }

        var ids = StableIds(graph);
        var index = new Dictionary<string, int>(graph.Nodes.Count);
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            index[graph.Nodes[i].Id] = i;
        }

        var children = graph.Nodes.Select(_ => new List<int>()).ToArray();
        foreach (var edge in graph.Edges)
        {
            children[index[edge.Source]].Add(index[edge.Target]);
        }

        var widths = graph.Nodes.Select(n => WidthOf(n.Label)).ToArray();
        var layout = TidyTreeLayout.Arrange(index[graph.RootId], children, widths, Layout);
        ancestors ??= [];
        var top = ancestors.Count * RowPitch;
        var rootCentre = layout.CentreX[index[graph.RootId]];

        var nodes = new List<ProcessGraphNodeDto>(ancestors.Count + graph.Nodes.Count);
        var edges = new List<ProcessGraphEdgeDto>(ancestors.Count + graph.Edges.Count);
        for (var a = ancestors.Count - 1; a >= 0; a--)
        {
            var ancestor = ancestors[a];
            var width = WidthOf(ancestor.Label);
            var id = "up:" + ancestor.Key;
            nodes.Add(new ProcessGraphNodeDto
            {
                Id = id,
                Label = ancestor.Label,
                Kind = "ancestor",
                Count = 1,
                Provenance = ProvenanceClass(ancestor.Provenance),
                Key = ancestor.Key,
                X = rootCentre - (width / 2),
                Y = (ancestors.Count - 1 - a) * RowPitch,
                Width = width,
                Height = NodeHeight,
            });
            var below = a == 0 ? ids[graph.RootId] : "up:" + ancestors[a - 1].Key;
            edges.Add(new ProcessGraphEdgeDto($"{id}->{below}", id, below, "spawn"));
        }

        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (!layout.Placed[i])
            {
                continue;
            }

            nodes.Add(new ProcessGraphNodeDto
            {
                Id = ids[node.Id],
                Label = node.Label,
                Kind = node.Kind switch
                {
                    GraphNodeKind.Root => "root",
                    GraphNodeKind.Group => "group",
                    GraphNodeKind.NoExecSeen => "no-exec",
                    _ => "process",
                },
                Count = node.Count,
                Provenance = ProvenanceClass(node.Provenance),
                Key = node.Key.ToString(),
                Argv = node.Argv,
                Cwd = node.Cwd,
                Uid = node.Uid,
                Time = node.FirstSeen,
                Failed = node.Failed,
                EndedBadly = node.EndedBadly,
                X = layout.CentreX[i] - (widths[i] / 2),
                Y = top + (layout.Level[i] * RowPitch),
                Width = widths[i],
                Height = NodeHeight,
            });
        }

        foreach (var e in graph.Edges)
        {
            var (parent, child) = (index[e.Source], index[e.Target]);
            if (layout.Placed[child])
            {
                edges.Add(new ProcessGraphEdgeDto($"{ids[e.Source]}->{ids[e.Target]}", ids[e.Source], ids[e.Target], KindOf(e.Kind))
                {
                    Route = RouteOf(layout, parent, child, top),
                });
            }
        }

        return new ProcessGraphDto { RootId = ids[graph.RootId], Nodes = nodes, Edges = edges, CutNodes = graph.CutNodes, CutExecs = graph.CutExecs };
    }

    /// <summary>
    /// A wrapped family reads as a comb: from the parent down to the first row's gap, left along
    /// it to the trunk, down the trunk to the gap above the child's row, and across to the child.
    /// Links of one family share these segments, so 133 of them draw as one trunk, not a fan.
    /// </summary>
    private static GraphPoint[] RouteOf(TreeLayout layout, int parent, int child, double top)
    {
        if (double.IsNaN(layout.RowsLeft[parent]))
        {
            return [];
        }

        var gap = (RowPitch - NodeHeight) / 2;
        var firstGap = top + ((layout.Level[parent] + 1) * RowPitch) - gap;
        var (parentX, childX) = (layout.CentreX[parent], layout.CentreX[child]);
        if (layout.Row[child] == 0)
        {
            return [new(parentX, firstGap), new(childX, firstGap)];
        }

        var trunk = layout.RowsLeft[parent] - (TrunkMargin / 2);
        var childGap = top + (layout.Level[child] * RowPitch) - gap;
        return [new(parentX, firstGap), new(trunk, firstGap), new(trunk, childGap), new(childX, childGap)];
    }

    public static string ProvenanceClass(Provenance provenance) => provenance switch
    {
        Provenance.ExecSeen => "exec-seen",
        Provenance.ProcSnapshot => "proc-snapshot",
        _ => "inferred",
    };

    /// <summary>Wide enough for the label up to <see cref="MaxNodeWidth"/>.</summary>
    public static double WidthOf(string label) => Math.Clamp(Chrome + (label.Length * CharWidth), MinNodeWidth, MaxNodeWidth);

    /// <summary>
    /// The builder numbers nodes in breadth-first order, so a node's number moves when a new
    /// sibling appears earlier in the walk. A stable id names the node by what it stands for:
    /// a process by its key and program, a group by its parent, edge kind and shape.
    /// </summary>
    private static Dictionary<string, string> StableIds(DescendantGraph graph)
    {
        var parentOf = graph.Edges.ToDictionary(e => e.Target);
        var stable = new Dictionary<string, string>(graph.Nodes.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var id = node.Kind switch
            {
                GraphNodeKind.Root => "root",
                GraphNodeKind.Group => string.Create(CultureInfo.InvariantCulture,
                    $"{stable[parentOf[node.Id].Source]}>{KindOf(parentOf[node.Id].Kind)}:{node.Exe}#{node.Argv.Count}"),
                _ => string.Create(CultureInfo.InvariantCulture, $"{node.Key}@{node.Exe}"),
            };
            var unique = id;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = string.Create(CultureInfo.InvariantCulture, $"{id}~{n}");
            }

            stable[node.Id] = unique;
        }

        return stable;
    }

    private static string KindOf(GraphEdgeKind kind) => kind == GraphEdgeKind.Exec ? "exec" : "spawn";
}
