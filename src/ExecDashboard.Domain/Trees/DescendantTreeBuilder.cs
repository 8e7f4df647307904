using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Trees;

/// <summary>
/// Maps a process and a set of exec events to a <see cref="ProcessGraph"/> of its descendants:
/// children are processes whose parent is the node's process, recursively, and a process that
/// exec'd again continues in a node joined by an <see cref="GraphEdgeKind.Exec"/> edge. Siblings with
/// the same exe and argument count collapse into one group node whose children are the union of
/// its members' children, so 1553 <c>expr</c> runs are one node, <c>expr ×1553 [N + 1]</c>.
/// </summary>
public static class DescendantTreeBuilder
{
    public static ProcessGraph Build(IEnumerable<ExecEvent> events, ProcessKey root, DescendantTreeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        options ??= new DescendantTreeOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxNodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CollapseFrom, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DistinctCollapseFrom, options.CollapseFrom);
        return new Walk(new ProcessIndex(events), options).Run(root);
    }

    /// <summary>One program image of one process; <see cref="Image"/> −1 stands for "no exec seen".</summary>
    private readonly record struct Unit(ProcessKey Key, int Image);

    private sealed class Walk(ProcessIndex index, DescendantTreeOptions options)
    {
        private readonly List<GraphNode> _nodes = [];
        private readonly List<GraphEdge> _edges = [];
        private readonly HashSet<Unit> _visited = [];
        private readonly Dictionary<ProcessKey, List<ProcessKey>[]> _attached = [];
        private int _cutNodes;
        private int _cutExecs;

        public ProcessGraph Run(ProcessKey root)
        {
            var queue = new Queue<(List<Unit> Members, string? Id)>();
            var first = FirstUnit(root);
            _visited.Add(first);
            queue.Enqueue(([first], Emit([first], GraphNodeKind.Root, parentId: null, GraphEdgeKind.Spawn)));
            while (queue.TryDequeue(out var item))
            {
                foreach (var (kind, members) in ChildGroups(item.Members))
                {
                    if (Collapses(members))
                    {
                        queue.Enqueue((members, Emit(members, GraphNodeKind.Group, item.Id, kind)));
                    }
                    else
                    {
                        foreach (var member in members)
                        {
                            var nodeKind = member.Image < 0 ? GraphNodeKind.NoExecSeen : GraphNodeKind.Process;
                            queue.Enqueue(([member], Emit([member], nodeKind, item.Id, kind)));
                        }
                    }
                }
            }

            return new ProcessGraph { RootId = _nodes[0].Id, Nodes = _nodes, Edges = _edges, CutNodes = _cutNodes, CutExecs = _cutExecs };
        }

        private bool Collapses(List<Unit> members) =>
            members.Count >= options.DistinctCollapseFrom
            || (members.Count >= options.CollapseFrom && ArgumentTemplate.DiffersOnlyInNumbers([.. members.Select(m => Describe(m).Argv)]));

        /// <summary>Adds the node, or counts it as cut (its id is then null and its subtree is cut too).</summary>
        private string? Emit(List<Unit> members, GraphNodeKind kind, string? parentId, GraphEdgeKind edge)
        {
            if (_nodes.Count >= options.MaxNodes || (parentId is null && _nodes.Count > 0))
            {
                _cutNodes++;
                _cutExecs += members.Count;
                return null;
            }

            var id = "n" + _nodes.Count.ToString(CultureInfo.InvariantCulture);
            var (exe, _, _, _) = Describe(members[0]);
            var exec = members[0].Image >= 0 ? index.ImagesOf(members[0].Key)[members[0].Image].Exec : null;
            var argv = members.Count == 1 ? Describe(members[0]).Argv : ArgumentTemplate.Of([.. members.Select(m => Describe(m).Argv)]);
            var label = members.Count == 1
                ? NodeLabel.ForProcess(exe, members[0].Key.Pid, argv)
                : NodeLabel.ForGroup(exe, members.Count, argv);
            _nodes.Add(new GraphNode
            {
                Id = id,
                Label = label,
                Kind = kind,
                Count = members.Count,
                Exe = exe,
                Argv = argv,
                Provenance = members.Max(m => Describe(m).Provenance),
                Key = members[0].Key,
                SampleKeys = [.. members.Take(options.SampleKeys).Select(m => m.Key)],
                FirstSeen = Describe(members[0]).Time,
                Cwd = exec?.Cwd,
                Uid = exec?.Uid,
                Failed = members.Count(m => m.Image >= 0 && !index.ImagesOf(m.Key)[m.Image].Exec.Success),
            });
            if (parentId is not null)
            {
                _edges.Add(new GraphEdge(parentId, id, edge));
            }

            return id;
        }

        /// <summary>The members' next images and child processes, grouped by edge, exe and argc in order of appearance.</summary>
        private List<(GraphEdgeKind Kind, List<Unit> Members)> ChildGroups(List<Unit> members)
        {
            var groups = new List<(GraphEdgeKind Kind, List<Unit> Members)>();
            var byShape = new Dictionary<(GraphEdgeKind, string, int), List<Unit>>();
            void Add(GraphEdgeKind kind, Unit unit)
            {
                if (!_visited.Add(unit))
                {
                    return;
                }

                var (exe, argv, _, _) = Describe(unit);
                var shape = (kind, exe, argv.Count);
                if (!byShape.TryGetValue(shape, out var list))
                {
                    byShape[shape] = list = [];
                    groups.Add((kind, list));
                }

                list.Add(unit);
            }

            foreach (var member in members)
            {
                var images = index.ImagesOf(member.Key);
                if (member.Image >= 0 && member.Image + 1 < images.Count)
                {
                    Add(GraphEdgeKind.Exec, member with { Image = member.Image + 1 });
                }

                foreach (var child in AttachedTo(member))
                {
                    Add(GraphEdgeKind.Spawn, FirstUnit(child));
                }
            }

            return groups;
        }

        /// <summary>Children spawned while <paramref name="unit"/> was the process's program: by first sighting.</summary>
        private List<ProcessKey> AttachedTo(Unit unit)
        {
            if (!_attached.TryGetValue(unit.Key, out var perImage))
            {
                var images = index.ImagesOf(unit.Key);
                perImage = new List<ProcessKey>[Math.Max(images.Count, 1)];
                for (var i = 0; i < perImage.Length; i++)
                {
                    perImage[i] = [];
                }

                foreach (var child in index.ChildrenOf(unit.Key))
                {
                    var seen = index.FirstSeen(child);
                    var slot = 0;
                    for (var i = images.Count - 1; i > 0; i--)
                    {
                        if (seen >= images[i].Exec.Time)
                        {
                            slot = i;
                            break;
                        }
                    }

                    perImage[slot].Add(child);
                }

                _attached[unit.Key] = perImage;
            }

            return perImage[Math.Max(unit.Image, 0)];
        }

        private Unit FirstUnit(ProcessKey key) => new(key, index.ImagesOf(key).Count > 0 ? 0 : -1);

        private (string Exe, IReadOnlyList<string> Argv, Provenance Provenance, DateTimeOffset? Time) Describe(Unit unit)
        {
            if (unit.Image >= 0)
            {
                var exec = index.ImagesOf(unit.Key)[unit.Image].Exec;
                return (exec.Exe, exec.Argv, Provenance.ExecSeen, exec.Time);
            }

            var known = index.Known(unit.Key);
            return (known?.Exe ?? string.Empty, known?.Argv ?? [], known?.Provenance ?? Provenance.Inferred, index.FirstSeen(unit.Key));
        }
    }
}
