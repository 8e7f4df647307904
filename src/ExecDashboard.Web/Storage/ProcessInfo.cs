using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>What the store knows about one process, merged from every event that named it.</summary>
public sealed record ProcessInfo
{
    public required ProcessKey Key { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    /// <summary><see cref="ProcessKey.None"/> when unknown.</summary>
    public required ProcessKey Parent { get; init; }

    /// <summary>Its current image; empty when only inferred.</summary>
    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    public required Provenance Provenance { get; init; }

    public required DateTimeOffset FirstSeen { get; init; }

    public required DateTimeOffset LastSeen { get; init; }

    /// <summary>Running, ended (and how), or unknown; filled by <see cref="ProcessEnds"/>.</summary>
    public ProcessLifetime Lifetime { get; init; } = ProcessLifetime.Unknown;
}
