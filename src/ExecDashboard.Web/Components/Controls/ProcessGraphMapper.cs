using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Trees;
using DescendantGraph = ExecDashboard.Domain.Trees.ProcessGraph;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>Maps the domain's descendant tree to the DTOs the graph module draws.</summary>
public static class ProcessGraphMapper
{
    public static ProcessGraphDto Map(DescendantGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.Nodes.Count == 0)
        {
            return ProcessGraphDto.Empty;
        }

        // The builder numbers nodes in breadth-first order, so a node's number moves when a new
        // sibling appears earlier in the walk. A stable id names the node by what it stands for:
        // a process by its key and program, a group by its parent, edge kind and shape.
        var parentOf = graph.Edges.ToDictionary(e => e.Target);
        var stable = new Dictionary<string, string>(graph.Nodes.Count);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var nodes = new List<ProcessGraphNodeDto>(graph.Nodes.Count);
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
            nodes.Add(new ProcessGraphNodeDto
            {
                Id = unique,
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
            });
        }

        var edges = graph.Edges
            .Select(e => new ProcessGraphEdgeDto($"{stable[e.Source]}->{stable[e.Target]}", stable[e.Source], stable[e.Target], KindOf(e.Kind)))
            .ToArray();
        return new ProcessGraphDto { RootId = stable[graph.RootId], Nodes = nodes, Edges = edges, CutNodes = graph.CutNodes, CutExecs = graph.CutExecs };
    }

    public static string ProvenanceClass(Provenance provenance) => provenance switch
    {
        Provenance.ExecSeen => "exec-seen",
        Provenance.ProcSnapshot => "proc-snapshot",
        _ => "inferred",
    };

    private static string KindOf(GraphEdgeKind kind) => kind == GraphEdgeKind.Exec ? "exec" : "spawn";
}
