using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Sources.Proc;

/// <summary>Every process found in <c>/proc</c> at one moment.</summary>
public sealed record ProcSnapshot
{
    public required IReadOnlyList<ProcessSnapshotEntry> Entries { get; init; }

    /// <summary>Processes listed but gone before their stat could be read: normal, not an error.</summary>
    public required int Vanished { get; init; }
}
