using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Maps events and processes to and from their SQLite rows. Reading is defensive: rows written
/// before every way in was validated may hold null arguments or malformed keys, and one such row
/// must not make a page or an API answer (or its ancestors' pages) fail, so nulls read as empty
/// text and unreadable keys as "unknown".
/// </summary>
internal static class EventRows
{
    public const string EventColumns =
        "id, session_id, time_us, serial, host, pid, ppid, uid, auid, comm, exe, argv, argv_bytes, cwd, success, exit, syscall, arch, process_key, parent_key, ancestry, argv_truncated";

    public const string ProcessColumns = "key, pid, ppid, parent_key, exe, argv, provenance, first_seen_us, last_seen_us";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(IReadOnlyList<string> argv) => JsonSerializer.Serialize(argv, Json);

    public static string? ToJson(IReadOnlyList<byte[]>? argvBytes) => argvBytes is null ? null : JsonSerializer.Serialize(argvBytes, Json);

    public static string ToJson(IReadOnlyList<Ancestor> ancestry) =>
        JsonSerializer.Serialize(ancestry.Select(a => new StoredAncestor(a.Key.ToString(), a.Pid, a.Exe, [.. a.Argv], (int)a.Provenance)).ToArray(), Json);

    public static StoredExec ReadEvent(SqliteDataReader r)
    {
        var exec = new ExecObservation
        {
            Time = UnixMicros.ToTime(r.GetInt64(2)),
            Serial = unchecked((ulong)r.GetInt64(3)),
            Host = r.GetString(4),
            Pid = r.GetInt32(5),
            Ppid = r.GetInt32(6),
            Uid = unchecked((uint)r.GetInt64(7)),
            Auid = unchecked((uint)r.GetInt64(8)),
            Comm = r.IsDBNull(9) ? string.Empty : r.GetString(9),
            Exe = r.IsDBNull(10) ? string.Empty : r.GetString(10),
            Argv = Arguments(r.GetString(11)),
            ArgvBytes = r.IsDBNull(12) ? null : JsonSerializer.Deserialize<byte[][]>(r.GetString(12), Json),
            Cwd = r.GetString(13),
            Success = r.GetInt64(14) != 0,
            Exit = r.GetInt64(15),
            Syscall = r.GetString(16),
            Arch = r.GetString(17),
            ArgvTruncated = r.GetInt64(21) != 0,
        };
        var ancestry = (JsonSerializer.Deserialize<StoredAncestor[]>(r.GetString(20), Json) ?? [])
            .Where(a => a is not null)
            .Select(a => new Ancestor { Key = ParseKeyOrNone(a.Key), Pid = a.Pid, Exe = a.Exe ?? string.Empty, Argv = NonNull(a.Argv), Provenance = Enum.IsDefined((Provenance)a.Provenance) ? (Provenance)a.Provenance : Provenance.Inferred })
            .ToArray();
        var e = new ExecEvent
        {
            Exec = exec,
            Process = ParseKeyOrNone(r.GetString(18)),
            Parent = ParseKeyOrNone(r.GetString(19)),
            Ancestry = ancestry,
        };
        return new StoredExec(r.GetInt64(0), r.GetInt64(1), e);
    }

    public static ProcessInfo ReadProcess(SqliteDataReader r) => new()
    {
        Key = ParseKeyOrNone(r.GetString(0)),
        Pid = r.GetInt32(1),
        Ppid = r.GetInt32(2),
        Parent = ParseKeyOrNone(r.GetString(3)),
        Exe = r.IsDBNull(4) ? string.Empty : r.GetString(4),
        Argv = Arguments(r.GetString(5)),
        Provenance = (Provenance)r.GetInt32(6),
        FirstSeen = UnixMicros.ToTime(r.GetInt64(7)),
        LastSeen = UnixMicros.ToTime(r.GetInt64(8)),
    };

    public static ProcessKey ParseKeyOrNone(string? text) => ProcessKey.TryParse(text, out var key) ? key : ProcessKey.None;

    private static string[] Arguments(string json)
    {
        try
        {
            return NonNull(JsonSerializer.Deserialize<string?[]>(json, Json));
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static string[] NonNull(string?[]? argv) =>
        argv is null ? [] : Array.ConvertAll(argv, a => a ?? string.Empty);

    private sealed record StoredAncestor(string Key, int Pid, string? Exe, string?[]? Argv, int Provenance);
}
