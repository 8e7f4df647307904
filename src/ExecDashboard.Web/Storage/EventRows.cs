using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>Maps events and processes to and from their SQLite rows.</summary>
internal static class EventRows
{
    public const string EventColumns =
        "id, session_id, time_us, serial, host, pid, ppid, uid, auid, comm, exe, argv, argv_bytes, cwd, success, exit, syscall, arch, process_key, parent_key, ancestry";

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
            Comm = r.GetString(9),
            Exe = r.GetString(10),
            Argv = JsonSerializer.Deserialize<string[]>(r.GetString(11), Json) ?? [],
            ArgvBytes = r.IsDBNull(12) ? null : JsonSerializer.Deserialize<byte[][]>(r.GetString(12), Json),
            Cwd = r.GetString(13),
            Success = r.GetInt64(14) != 0,
            Exit = r.GetInt64(15),
            Syscall = r.GetString(16),
            Arch = r.GetString(17),
        };
        var ancestry = (JsonSerializer.Deserialize<StoredAncestor[]>(r.GetString(20), Json) ?? [])
            .Select(a => new Ancestor { Key = ProcessKey.Parse(a.Key), Pid = a.Pid, Exe = a.Exe, Argv = a.Argv, Provenance = (Provenance)a.Provenance })
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
        Key = ProcessKey.Parse(r.GetString(0)),
        Pid = r.GetInt32(1),
        Ppid = r.GetInt32(2),
        Parent = ParseKeyOrNone(r.GetString(3)),
        Exe = r.GetString(4),
        Argv = JsonSerializer.Deserialize<string[]>(r.GetString(5), Json) ?? [],
        Provenance = (Provenance)r.GetInt32(6),
        FirstSeen = UnixMicros.ToTime(r.GetInt64(7)),
        LastSeen = UnixMicros.ToTime(r.GetInt64(8)),
    };

    public static ProcessKey ParseKeyOrNone(string text) => string.IsNullOrEmpty(text) ? ProcessKey.None : ProcessKey.Parse(text);

    private sealed record StoredAncestor(string Key, int Pid, string Exe, string[] Argv, int Provenance);
}
