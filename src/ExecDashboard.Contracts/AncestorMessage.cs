namespace ExecDashboard.Contracts;

/// <summary>Wire form of <see cref="Domain.Processes.Ancestor"/>.</summary>
public sealed class AncestorMessage
{
    public required string Key { get; init; }

    public required int Pid { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary><see cref="Domain.Processes.Provenance"/> as its number.</summary>
    public required int Provenance { get; init; }
}
