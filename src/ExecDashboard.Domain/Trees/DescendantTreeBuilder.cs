using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Trees;

/// <summary>
/// Maps a process and a set of exec events to a <see cref="ProcessGraph"/> of its descendants:
/// children are processes whose parent is the node's process, recursively, and a process that
/// exec'd again continues in a node joined by an <see cref="GraphEdgeKind.Exec"/> edge. Siblings with
/// the same exe and argument count collapse into one group node whose children are the union of
/// its members' children, so 1553 <c>expr</c> runs are one node, <c>expr ×1,553 [N + 1]</c>: always
/// when their arguments differ only in numbers; as sibling subtrees of the same shape when there are
/// enough of them (<see cref="DescendantTreeOptions.SameShapeCollapseNodes"/>); and whatever is left
/// once there are very many (<see cref="DescendantTreeOptions.DistinctCollapseFrom"/>).
/// </summary>
public static class DescendantTreeBuilder
{
    /// <param name="endedBadly">Processes known to have ended badly (non-zero exit, killed): each node counts its members among them.</param>
    public static ProcessGraph Build(IEnumerable<ExecEvent> events, ProcessKey root, DescendantTreeOptions? options = null, IReadOnlySet<ProcessKey>? endedBadly = null)
    {
        ArgumentNullException.ThrowIfNull(events);
        options ??= new DescendantTreeOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxNodes);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.CollapseFrom, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.DistinctCollapseFrom, options.CollapseFrom);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.SameShapeCollapseNodes);
        return new Walk(new ProcessIndex(events), options, endedBadly ?? EmptyKeys).Run(root);
    }

    private static readonly IReadOnlySet<ProcessKey> EmptyKeys = new HashSet<ProcessKey>();

    /// <summary>One program image of one process; <see cref="Image"/> −1 stands for "no exec seen".</summary>
    private readonly record struct Unit(ProcessKey Key, int Image);

    private sealed class Walk(ProcessIndex index, DescendantTreeOptions options, IReadOnlySet<ProcessKey> endedBadly)
    {
        private readonly List<GraphNode> _nodes = [];
        private readonly List<GraphEdge> _edges = [];
        private readonly HashSet<Unit> _visited = [];
        private readonly Dictionary<ProcessKey, List<ProcessKey>[]> _attached = [];
        private SubtreeShapes<Unit>? _shapes;
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
                    foreach (var part in Collapse(members, underGroup: item.Members.Count > 1))
                    {
                        var nodeKind = part.Count > 1 ? GraphNodeKind.Group : part[0].Image < 0 ? GraphNodeKind.NoExecSeen : GraphNodeKind.Process;
                        queue.Enqueue((part, Emit(part, nodeKind, item.Id, kind)));
                    }
                }
            }

            return new ProcessGraph { RootId = _nodes[0].Id, Nodes = _nodes, Edges = _edges, CutNodes = _cutNodes, CutExecs = _cutExecs };
        }

        /// <summary>
        /// Splits siblings of one exe and argument count into nodes, in order of appearance: all of
        /// them when they differ only in numbers; else each class of same-shaped subtrees that would
        /// take too many nodes one by one (under a group, which stands for a template, each class of
        /// two or more); the rest together once they are very many, else one by one.
        /// </summary>
        private List<List<Unit>> Collapse(List<Unit> members, bool underGroup)
        {
            if (members.Count >= options.CollapseFrom && ArgumentTemplate.DiffersOnlyInNumbers([.. members.Select(m => Describe(m).Argv)]))
            {
                return [members];
            }

            if (members.Count < 2)
            {
                return [.. members.Select(m => new List<Unit> { m })];
            }

            var classes = new Dictionary<int, List<Unit>>();
            var shapes = new (int Id, long Size)[members.Count];
            for (var i = 0; i < members.Count; i++)
            {
                shapes[i] = Shapes.Of(members[i]);
                if (!classes.TryGetValue(shapes[i].Id, out var list))
                {
                    classes[shapes[i].Id] = list = [];
                }

                list.Add(members[i]);
            }

            bool Grouped(int i) => classes[shapes[i].Id].Count > 1 && (underGroup || classes[shapes[i].Id].Count * shapes[i].Size > options.SameShapeCollapseNodes);
            var rest = members.Where((_, i) => !Grouped(i)).ToList();
            var restTogether = rest.Count >= options.DistinctCollapseFrom;
            var parts = new List<List<Unit>>();
            var emitted = new HashSet<int>();
            var restAdded = false;
            for (var i = 0; i < members.Count; i++)
            {
                if (Grouped(i))
                {
                    if (emitted.Add(shapes[i].Id))
                    {
                        parts.Add(classes[shapes[i].Id]);
                    }
                }
                else if (!restTogether)
                {
                    parts.Add([members[i]]);
                }
                else if (!restAdded)
                {
                    parts.Add(rest); // where its first member stood
                    restAdded = true;
                }
            }

            return parts;
        }

        private SubtreeShapes<Unit> Shapes => _shapes ??= new SubtreeShapes<Unit>(Below, Signature);

        /// <summary>What makes two units the same shape, short of their children: exe and argument count.</summary>
        private string Signature(Unit unit)
        {
            var (exe, argv, _, _) = Describe(unit);
            return string.Create(CultureInfo.InvariantCulture, $"{exe}\0{argv.Count}");
        }

        /// <summary>A unit's next image (an exec edge) and the processes it spawned, as in <see cref="ChildGroups"/>, regardless of what was drawn.</summary>
        private IEnumerable<(GraphEdgeKind Kind, Unit Unit)> Below(Unit unit)
        {
            if (unit.Image >= 0 && unit.Image + 1 < index.ImagesOf(unit.Key).Count)
            {
                yield return (GraphEdgeKind.Exec, unit with { Image = unit.Image + 1 });
            }

            foreach (var child in AttachedTo(unit))
            {
                yield return (GraphEdgeKind.Spawn, FirstUnit(child));
            }
        }

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
                EndedBadly = CountEndedBadly(members),
            });
            if (parentId is not null)
            {
                _edges.Add(new GraphEdge(parentId, id, edge));
            }

            return id;
        }

        /// <summary>Members whose process ended badly; a process counts once, at its last image (where it ended).</summary>
        private int CountEndedBadly(List<Unit> members)
        {
            if (endedBadly.Count == 0)
            {
                return 0;
            }

            var count = 0;
            foreach (var m in members)
            {
                if (endedBadly.Contains(m.Key) && m.Image >= index.ImagesOf(m.Key).Count - 1)
                {
                    count++;
                }
            }

            return count;
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
                foreach (var (kind, unit) in Below(member))
                {
                    Add(kind, unit);
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
