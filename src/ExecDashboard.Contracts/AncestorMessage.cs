using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts;

/// <summary>Public form of <see cref="Ancestor"/>: one link of <see cref="ExecEventMessage.Ancestry"/>.</summary>
public sealed class AncestorMessage
{
    /// <summary>Process key <c>boot/pid/start</c>.</summary>
    public required string Key { get; init; }

    public required int Pid { get; init; }

    /// <summary>The program the ancestor ran when it started the descendant; empty when unknown (inferred).</summary>
    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>
    /// How we know this link: <c>execSeen</c>, <c>procSnapshot</c> or <c>inferred</c> in JSON (names
    /// on <see cref="Domain.Processes.Provenance"/>); its number in MessagePack. A number that
    /// names no value is refused by the mapping.
    /// </summary>
    public required Provenance Provenance { get; init; }
}
