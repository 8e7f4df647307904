using System.Text.Json;
using System.Text.Json.Serialization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Sessions;

/// <summary>
/// The wire shapes of format version 1 and their mapping to domain types. The reader uses these
/// shapes; events are written by <see cref="SessionEventJson"/> in the same shape (the round-trip
/// tests hold the two together), processes and gaps through these shapes too.
/// </summary>
internal static class SessionJson
{
    public const string FormatName = "execdashboard-session";
    public const int Version = 1;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        // A null where the format has a string is a broken document, not an empty value.
        RespectNullableAnnotations = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static ExecEvent FromDto(EventDto d) => new()
    {
        Exec = new ExecObservation
        {
            Time = d.Time,
            Serial = d.Serial,
            Host = d.Host,
            Pid = d.Pid,
            Ppid = d.Ppid,
            Uid = d.Uid,
            Auid = d.Auid,
            Comm = d.Comm,
            Exe = d.Exe,
            Argv = d.Argv,
            ArgvBytes = d.ArgvBytes,
            ArgvTruncated = d.ArgvTruncated,
            Cwd = d.Cwd,
            Success = d.Success,
            Exit = d.Exit,
            Syscall = d.Syscall,
            Arch = d.Arch,
        },
        Process = ParseKey(d.Process, "process"),
        Parent = ParseKey(d.Parent, "parent"),
        Ancestry = [.. d.Ancestry.Select(a => new Ancestor { Key = ParseKey(a.Key, "ancestry key"), Pid = a.Pid, Exe = a.Exe, Argv = a.Argv, Provenance = a.Provenance })],
    };

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
        Key = ParseKey(d.Key, "key"),
        Pid = d.Pid,
        Ppid = d.Ppid,
        Exe = d.Exe,
        Argv = d.Argv,
        Provenance = d.Provenance,
        FirstSeen = d.FirstSeen,
        LastSeen = d.LastSeen,
    };

    // An empty key is ProcessKey.None (the parent of PID 1, an unknown process).
    private static ProcessKey ParseKey(string text, string field) =>
        text.Length == 0 ? ProcessKey.None
        : ProcessKey.TryParse(text, out var key) ? key
        : throw new JsonException($"'{field}' is '{Shorten(text)}', not a process key of the form boot/pid/start.");

    internal static string Shorten(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    internal sealed record SessionDto
    {
        public required string Id { get; init; }

        public required string Name { get; init; }

        public required DateTimeOffset Start { get; init; }

        public DateTimeOffset? End { get; init; }

        public required string Host { get; init; }
    }

    internal sealed record ExporterDto
    {
        public required string Name { get; init; }

        public required string Version { get; init; }
    }

    internal sealed record EventDto
    {
        public required DateTimeOffset Time { get; init; }

        public required ulong Serial { get; init; }

        public required string Host { get; init; }

        public required int Pid { get; init; }

        public required int Ppid { get; init; }

        public required uint Uid { get; init; }

        public required uint Auid { get; init; }

        public required string Comm { get; init; }

        public required string Exe { get; init; }

        public required IReadOnlyList<string> Argv { get; init; }

        /// <summary>Base64 per argument, written only when some argument is not valid UTF-8.</summary>
        public IReadOnlyList<byte[]>? ArgvBytes { get; init; }

        /// <summary>Written only when true: some argument could not be read whole.</summary>
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
        public bool ArgvTruncated { get; init; }

        public required string Cwd { get; init; }

        public required bool Success { get; init; }

        public required long Exit { get; init; }

        public required string Syscall { get; init; }

        public required string Arch { get; init; }

        public required string Process { get; init; }

        public required string Parent { get; init; }

        public required IReadOnlyList<AncestorDto> Ancestry { get; init; }
    }

    internal sealed record AncestorDto
    {
        public required string Key { get; init; }

        public required int Pid { get; init; }

        public required string Exe { get; init; }

        public required IReadOnlyList<string> Argv { get; init; }

        public required Provenance Provenance { get; init; }
    }

    internal sealed record ProcessDto
    {
        public required string Key { get; init; }

        public required int Pid { get; init; }

        public required int Ppid { get; init; }

        public required string Exe { get; init; }

        public required IReadOnlyList<string> Argv { get; init; }

        public required Provenance Provenance { get; init; }

        public required DateTimeOffset FirstSeen { get; init; }

        public required DateTimeOffset LastSeen { get; init; }
    }
}
