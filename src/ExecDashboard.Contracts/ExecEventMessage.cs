namespace ExecDashboard.Contracts;

/// <summary>
/// Wire form of <see cref="Domain.Events.ExecEvent"/>: flat, primitive members only, so the
/// MessagePack contractless resolver and System.Text.Json both carry it without custom
/// formatters. Process keys travel in their text form <c>boot/pid/start</c>.
/// </summary>
public sealed class ExecEventMessage
{
    /// <summary>Kernel time of the exec as Unix time in microseconds (audit has millisecond precision).</summary>
    public required long TimeUnixMicros { get; init; }

    public required ulong Serial { get; init; }

    public required string Host { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    public required uint Uid { get; init; }

    public required uint Auid { get; init; }

    public required string Comm { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Exact argument bytes, only when some argument is not valid UTF-8.</summary>
    public IReadOnlyList<byte[]>? ArgvBytes { get; init; }

    /// <summary>Some argument could not be read whole; absent (false) from older collectors.</summary>
    public bool ArgvTruncated { get; init; }

    public required string Cwd { get; init; }

    public required bool Success { get; init; }

    public required long Exit { get; init; }

    public required string Syscall { get; init; }

    public required string Arch { get; init; }

    public required string Process { get; init; }

    public required string Parent { get; init; }

    public required IReadOnlyList<AncestorMessage> Ancestry { get; init; }
}
