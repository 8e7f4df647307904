using System.Text.Json;
using System.Text.Json.Serialization;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// The parts of a session export besides its events (which are <see cref="ExecEventMessage"/>s)
/// and their mapping to domain types. All go through <see cref="ContractJsonContext"/>.
/// </summary>
/// <remarks>
/// Version 2 writes every time as ISO-8601 UTC with microseconds and leaves an unknown parent out.
/// Version 1 wrote times with their offset and an unknown parent as <c>""</c>; it had the same
/// names and fields, so both read through these shapes (the version 1 tests hold that).
/// </remarks>
public static class SessionJson
{
    public const string FormatName = "execdashboard-session";

    /// <summary>The version this code writes.</summary>
    public const int Version = 2;

    /// <summary>The oldest version this code reads.</summary>
    public const int OldestReadableVersion = 1;

    /// <summary>Throws <see cref="JsonException"/> naming the field that breaks the contract.</summary>
    public static ExecEvent FromMessage(ExecEventMessage message)
    {
        try
        {
            return message.ToDomain();
        }
        catch (FormatException e)
        {
            throw new JsonException(e.Message, e);
        }
    }

    public static ProcessDto ToDto(SessionProcess p) => new()
    {
        Key = p.Key.ToString(),
        Pid = p.Pid,
        Ppid = p.Ppid,
        Exe = p.Exe,
        Argv = p.Argv,
        Provenance = p.Provenance,
        FirstSeen = p.FirstSeen,
        LastSeen = p.LastSeen,
    };

    public static SessionProcess FromDto(ProcessDto d) => new()
    {
        Key = ProcessKey.TryParse(d.Key, out var key) ? key
            : throw new JsonException($"'key' is '{Shorten(d.Key)}', not a process key of the form boot/pid/start."),
        Pid = d.Pid,
        Ppid = d.Ppid,
        Exe = d.Exe,
        Argv = d.Argv,
        Provenance = d.Provenance,
        FirstSeen = d.FirstSeen,
        LastSeen = d.LastSeen,
    };

    public static GapDto ToDto(SessionGap g) => new()
    {
        Kind = g.Kind,
        Time = g.Time,
        Count = g.Count,
        Host = g.Host,
        AfterSerial = g.AfterSerial,
        BeforeSerial = g.BeforeSerial,
    };

    public static SessionGap FromDto(GapDto d) => new()
    {
        Kind = d.Kind,
        Time = d.Time,
        Count = d.Count,
        Host = d.Host,
        AfterSerial = d.AfterSerial,
        BeforeSerial = d.BeforeSerial,
    };

    internal static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    public sealed record SessionDto
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        [JsonConverter(typeof(UtcTimeJsonConverter))]
        public required DateTimeOffset Start { get; init; }

        /// <summary>Absent while the session is still recording.</summary>
        [JsonConverter(typeof(UtcTimeJsonConverter))]
        public DateTimeOffset? End { get; init; }

        public required string Host { get; init; }
    }

    public sealed record ExporterDto
    {
        public required string Name { get; init; }

        public required string Version { get; init; }
    }

    public sealed record ProcessDto
    {
        public required string Key { get; init; }

        public required int Pid { get; init; }

        public required int Ppid { get; init; }

        public required string Exe { get; init; }

        public required IReadOnlyList<string> Argv { get; init; }

        [JsonConverter(typeof(CamelCaseEnumJsonConverter<Provenance>))]
        public required Provenance Provenance { get; init; }

        [JsonConverter(typeof(UtcTimeJsonConverter))]
        public required DateTimeOffset FirstSeen { get; init; }

        [JsonConverter(typeof(UtcTimeJsonConverter))]
        public required DateTimeOffset LastSeen { get; init; }
    }

    /// <summary>A <see cref="SessionGap"/>, field for field.</summary>
    public sealed record GapDto
    {
        [JsonConverter(typeof(CamelCaseEnumJsonConverter<SessionGapKind>))]
        public required SessionGapKind Kind { get; init; }

        [JsonConverter(typeof(UtcTimeJsonConverter))]
        public required DateTimeOffset Time { get; init; }

        public required long Count { get; init; }

        public required string Host { get; init; }

        public ulong? AfterSerial { get; init; }

        public ulong? BeforeSerial { get; init; }
    }
}
