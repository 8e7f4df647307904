namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// A descendant tree as the graph module draws it: immutable, plain strings and numbers only.
/// Ids are stable across rebuilds of a growing tree, so the module can add what is new and keep
/// the rest (and the viewport) as it is.
/// </summary>
public sealed record ProcessGraphDto
{
    public static readonly ProcessGraphDto Empty = new() { RootId = string.Empty, Nodes = [], Edges = [], CutNodes = 0, CutExecs = 0 };

    public required string RootId { get; init; }

    public required IReadOnlyList<ProcessGraphNodeDto> Nodes { get; init; }

    public required IReadOnlyList<ProcessGraphEdgeDto> Edges { get; init; }

    public required int CutNodes { get; init; }

    public required int CutExecs { get; init; }
}

public sealed record ProcessGraphNodeDto
{
    public required string Id { get; init; }

    /// <summary>Text drawn on the node (the canvas draws text, never markup).</summary>
    public required string Label { get; init; }

    /// <summary><c>root</c>, <c>process</c>, <c>group</c> or <c>no-exec</c>.</summary>
    public required string Kind { get; init; }

    public required int Count { get; init; }

    /// <summary><c>exec-seen</c>, <c>proc-snapshot</c> or <c>inferred</c>.</summary>
    public required string Provenance { get; init; }

    /// <summary>The process key (a group's first member) in its text form.</summary>
    public required string Key { get; init; }
}

/// <summary><see cref="Kind"/> is <c>spawn</c> (child process) or <c>exec</c> (same process, new program).</summary>
public sealed record ProcessGraphEdgeDto(string Id, string Source, string Target, string Kind);
