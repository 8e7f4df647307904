using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Sessions;

/// <summary>A process of a session and how we know it, with when it was first and last seen.</summary>
public sealed record SessionProcess
{
    public required ProcessKey Key { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    /// <summary>Empty when unknown (inferred processes).</summary>
    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    public required Provenance Provenance { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }
}
