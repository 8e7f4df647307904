using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using ExecDashboard.Contracts.Json;

namespace ExecDashboard.Contracts;

/// <summary>
/// The one public form of an exec (<see cref="Domain.Events.ExecEvent"/>): a line of
/// <c>--output jsonl</c>, an event of the HTTP API, an event of a session export, and the hub's
/// MessagePack message. Flat, primitive members only, so the MessagePack contractless resolver and
/// <see cref="ContractJsonContext"/> both carry it without hand-written code.
/// </summary>
/// <remarks>
/// JSON rules: camelCase names; a value that does not exist is left out, never <c>null</c> or
/// <c>""</c> (<see cref="Parent"/>, <see cref="ArgvBytes"/>, <see cref="ArgvTruncated"/> when false);
/// times are ISO-8601 UTC with microseconds. The ignore conditions sit on the members, not only on
/// the context, so every serializer options that resolves this type writes the same shape.
/// MessagePack keys members by their C# names, which therefore never change: a collector's spool
/// and older collectors stay readable. No member has a converter of its own: that would take the
/// generated fast path away from the collector's jsonl hot path (JsonLinesBenchmarks).
/// </remarks>
public sealed class ExecEventMessage
{
    /// <summary>
    /// Kernel time of the exec, Unix time in microseconds (audit has millisecond precision, the
    /// store microsecond): the hub's form. Set through <see cref="Time"/>, which is also how JSON carries it.
    /// </summary>
    [JsonIgnore]
    public long TimeUnixMicros { get; init; }

    /// <summary>
    /// <see cref="TimeUnixMicros"/> as JSON writes it (<c>time</c>, ISO-8601 UTC with six fraction
    /// digits). Not a second value: a view of the same one, left out of MessagePack.
    /// </summary>
    [JsonPropertyName("time")]
    [IgnoreDataMember]
    public required IsoTime Time
    {
        get => new(TimeUnixMicros);
        init => TimeUnixMicros = value.UnixMicros;
    }

    public required ulong Serial { get; init; }

    public required string Host { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    public required uint Uid { get; init; }

    /// <summary>Login uid; 4294967295 when unset.</summary>
    public required uint Auid { get; init; }

    public required string Comm { get; init; }

    public required string Exe { get; init; }

    /// <summary>Every argument, argv[0] included; invalid UTF-8 shown as U+FFFD.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Exact argument bytes (base64 in JSON), only when some argument is not valid UTF-8.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<byte[]>? ArgvBytes { get; init; }

    /// <summary>Some argument could not be read whole, so <see cref="Argv"/> is partial; absent (false) otherwise and from older collectors.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool ArgvTruncated { get; init; }

    public required string Cwd { get; init; }

    public required bool Success { get; init; }

    /// <summary>The syscall's return: 0, or a negative errno when the exec failed.</summary>
    public required long Exit { get; init; }

    public required string Syscall { get; init; }

    public required string Arch { get; init; }

    /// <summary>Process key <c>boot/pid/start</c>.</summary>
    public required string Process { get; init; }

    /// <summary>
    /// The parent's process key; null (absent in JSON) when unknown, as for PID 1. Readers also
    /// take <c>""</c>, which session format version 1 and older collectors wrote.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parent { get; init; }

    /// <summary>From the parent up to PID 1, nearest first.</summary>
    public required IReadOnlyList<AncestorMessage> Ancestry { get; init; }
}
