using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Trees;

/// <summary>
/// A descendant tree ready to draw: immutable nodes and edges that a JS graph module renders as
/// they are. Built by <see cref="DescendantTreeBuilder"/>.
/// </summary>
public sealed record ProcessGraph
{
    public required string RootId { get; init; }

    /// <summary>In breadth-first order from the root; ids are unique within the graph.</summary>
    public required IReadOnlyList<GraphNode> Nodes { get; init; }

    public required IReadOnlyList<GraphEdge> Edges { get; init; }

    /// <summary>Nodes left out because the graph reached its node limit (0 when complete).</summary>
    public required int CutNodes { get; init; }

    /// <summary>Processes (execs) those cut nodes stood for.</summary>
    public required int CutExecs { get; init; }
}

public enum GraphNodeKind
{
    /// <summary>The process the tree was asked for.</summary>
    Root = 0,

    /// <summary>One exec of one process.</summary>
    Process = 1,

    /// <summary>Repeated siblings collapsed into one node (<see cref="GraphNode.Count"/> &gt; 1).</summary>
    Group = 2,

    /// <summary>A process seen only as someone's parent (forked without exec, or predating us).</summary>
    NoExecSeen = 3,
}

public enum GraphEdgeKind
{
    /// <summary>The target is a child process of the source.</summary>
    Spawn = 0,

    /// <summary>The target is the same process after a further exec (a new program image).</summary>
    Exec = 1,
}

/// <summary>One node: a single exec, or a group of repeated siblings.</summary>
public sealed record GraphNode
{
    public required string Id { get; init; }

    /// <summary><c>expr(12828)[1553 + 1]</c> for one exec, <c>expr ×1,553 [N + 1]</c> for a group.</summary>
    public required string Label { get; init; }

    public required GraphNodeKind Kind { get; init; }

    /// <summary>Execs this node stands for.</summary>
    public required int Count { get; init; }

    public required string Exe { get; init; }

    /// <summary>The argv (a group's template, see <see cref="ArgumentTemplate"/>), argv[0] included.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>How we know the process (for a group: the weakest among its members).</summary>
    public required Provenance Provenance { get; init; }

    /// <summary>The process key for click-through; a group's first member.</summary>
    public required ProcessKey Key { get; init; }

    /// <summary>A few concrete members (first ones by time) to open from a group.</summary>
    public required IReadOnlyList<ProcessKey> SampleKeys { get; init; }

    public required DateTimeOffset? FirstSeen { get; init; }

    /// <summary>The working directory of the (first member's) exec; null when no exec was seen.</summary>
    public string? Cwd { get; init; }

    /// <summary>The uid of the (first member's) exec; null when no exec was seen.</summary>
    public uint? Uid { get; init; }

    /// <summary>Members whose exec failed (the kernel refused it).</summary>
    public int Failed { get; init; }

    /// <summary>Members whose process ended badly (non-zero exit, killed), among the ends the builder was given.</summary>
    public int EndedBadly { get; init; }
}

public sealed record GraphEdge(string Source, string Target, GraphEdgeKind Kind);
