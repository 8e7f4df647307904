namespace ExecDashboard.Domain.Processes;

/// <summary>One link of a lineage chain: a process as it was when its descendant exec'd.</summary>
public sealed record Ancestor
{
    public required ProcessKey Key { get; init; }

    public required int Pid { get; init; }

    /// <summary>Empty when unknown (an inferred ancestor).</summary>
    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    public required Provenance Provenance { get; init; }
}
