namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// A descendant tree as the graph draws it: immutable, laid out (positions in diagram pixels),
/// plain strings and numbers only. Ids are stable across rebuilds of a growing tree, so the graph
/// can add what is new, move what moved and keep the rest (and the viewport) as it is.
/// </summary>
public sealed record ProcessGraphDto
{
    public static readonly ProcessGraphDto Empty = new() { RootId = string.Empty, Nodes = [], Edges = [], CutNodes = 0, CutExecs = 0 };

    public required string RootId { get; init; }

    /// <summary>Ancestors of the root first (PID 1's side first), then the root and its descendants breadth-first.</summary>
    public required IReadOnlyList<ProcessGraphNodeDto> Nodes { get; init; }

    public required IReadOnlyList<ProcessGraphEdgeDto> Edges { get; init; }

    public required int CutNodes { get; init; }

    public required int CutExecs { get; init; }

    /// <summary>Nodes of the root's tree: the root and its descendants, ancestors not counted.</summary>
    public int TreeNodes => Nodes.Count(n => n.Kind != "ancestor");
}

public sealed record ProcessGraphNodeDto
{
    public required string Id { get; init; }

    /// <summary><c>expr(12828)[1553 + 1]</c> or <c>expr ×1,553 [N + 1]</c>; drawn as text, never markup.</summary>
    public required string Label { get; init; }

    /// <summary><c>ancestor</c>, <c>root</c>, <c>process</c>, <c>group</c> or <c>no-exec</c>.</summary>
    public required string Kind { get; init; }

    public required int Count { get; init; }

    /// <summary><c>exec-seen</c>, <c>proc-snapshot</c> or <c>inferred</c>.</summary>
    public required string Provenance { get; init; }

    /// <summary>The process key (a group's first member) in its text form.</summary>
    public required string Key { get; init; }

    /// <summary>The full argv (a group's template), argv[0] included.</summary>
    public IReadOnlyList<string> Argv { get; init; } = [];

    public string? Cwd { get; init; }

    public uint? Uid { get; init; }

    public DateTimeOffset? Time { get; init; }

    /// <summary>Members whose exec failed.</summary>
    public int Failed { get; init; }

    /// <summary>Members whose process ended badly (non-zero exit, killed): for a group, how many of its runs failed.</summary>
    public int EndedBadly { get; init; }

    /// <summary>How the process ended when that was a failure (<c>exit 3</c>, <c>SIGKILL</c>); null otherwise.</summary>
    public string? FailedEnd { get; init; }

    /// <summary>Top-left corner and size in diagram pixels (zoom 1).</summary>
    public required double X { get; init; }

    public required double Y { get; init; }

    public required double Width { get; init; }

    public required double Height { get; init; }
}

/// <summary><see cref="Kind"/> is <c>spawn</c> (child process) or <c>exec</c> (same process, new program).</summary>
public sealed record ProcessGraphEdgeDto(string Id, string Source, string Target, string Kind)
{
    /// <summary>Bends between the parent's bottom and the child's top; empty for a straight line.</summary>
    public IReadOnlyList<GraphPoint> Route { get; init; } = [];
}

public readonly record struct GraphPoint(double X, double Y);

/// <summary>An ancestor of the graph's root, drawn above it: PID 1's side last.</summary>
public sealed record GraphAncestor(string Key, string Label, Domain.Processes.Provenance Provenance);
