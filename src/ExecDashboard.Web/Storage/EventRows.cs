using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>Maps version 2 event and process rows back to the domain's types.</summary>
internal static class EventRows
{
    /// <summary>Select list and joins of an event query; add WHERE and ORDER BY on alias <c>e</c>.</summary>
    public const string EventSelect = """
        SELECT e.id, e.session_id, e.time_us, e.serial, e.host, e.pid, e.ppid, e.uid, e.auid, e.comm, e.exe, e.argv, e.argv_bytes,
               e.cwd, e.success, e.exit, e.syscall, e.arch, p.boot, p.pid, p.start, q.boot, q.pid, q.start, e.parent_image, e.argv_truncated
        FROM events e LEFT JOIN processes p ON p.id = e.process LEFT JOIN processes q ON q.id = e.parent
        """;

    /// <summary>Columns of a process row (alias <c>p</c>) with its parent's key (alias <c>q</c>).</summary>
    public const string ProcessColumns =
        "p.boot, p.pid, p.start, p.ppid, q.boot, q.pid, q.start, p.exe, p.argv, p.provenance, p.first_seen_us, p.last_seen_us";

    /// <summary>Select list and join of a process query; add WHERE and ORDER BY on alias <c>p</c>.</summary>
    public const string ProcessSelect = $"SELECT {ProcessColumns} FROM processes p LEFT JOIN processes q ON q.id = p.parent";

    public static StoredExec ReadEvent(SqliteDataReader r, SqliteConnection c, ReadCaches caches)
    {
        var exec = new ExecObservation
        {
            Time = UnixMicros.ToTime(r.GetInt64(2)),
            Serial = unchecked((ulong)r.GetInt64(3)),
            Host = caches.Text(c, r.GetInt64(4)),
            Pid = r.GetInt32(5),
            Ppid = r.GetInt32(6),
            Uid = unchecked((uint)r.GetInt32(7)),
            Auid = unchecked((uint)r.GetInt32(8)),
            Comm = caches.Text(c, r.GetInt64(9)),
            Exe = caches.Text(c, r.GetInt64(10)),
            Argv = caches.Argv(c, r.GetInt64(11)),
            ArgvBytes = r.IsDBNull(12) ? null : JsonSerializer.Deserialize<byte[][]>(r.GetString(12)),
            Cwd = caches.Text(c, r.GetInt64(13)),
            Success = r.GetInt64(14) != 0,
            Exit = r.GetInt64(15),
            Syscall = caches.Text(c, r.GetInt64(16)),
            Arch = caches.Text(c, r.GetInt64(17)),
            ArgvTruncated = r.GetInt64(25) != 0,
        };
        var e = new ExecEvent
        {
            Exec = exec,
            Process = Key(r, c, caches, 18),
            Parent = Key(r, c, caches, 21),
            Ancestry = caches.Chain(c, r.GetInt64(24)),
        };
        return new StoredExec(r.GetInt64(0), r.GetInt64(1), e);
    }

    public static ProcessInfo ReadProcess(SqliteDataReader r, SqliteConnection c, ReadCaches caches) => new()
    {
        Key = Key(r, c, caches, 0),
        Pid = r.GetInt32(1),
        Ppid = r.GetInt32(3),
        Parent = Key(r, c, caches, 4),
        Exe = caches.Text(c, r.GetInt64(7)),
        Argv = caches.Argv(c, r.GetInt64(8)),
        Provenance = (Provenance)r.GetInt32(9),
        FirstSeen = UnixMicros.ToTime(r.GetInt64(10)),
        LastSeen = UnixMicros.ToTime(r.GetInt64(11)),
    };

    /// <summary>A process key from (boot, pid, start) columns at <paramref name="at"/>; none when the join found no row.</summary>
    private static ProcessKey Key(SqliteDataReader r, SqliteConnection c, ReadCaches caches, int at) =>
        r.IsDBNull(at + 1) ? ProcessKey.None : caches.Key(c, r.GetInt64(at), r.GetInt32(at + 1), r.GetInt64(at + 2));
}
