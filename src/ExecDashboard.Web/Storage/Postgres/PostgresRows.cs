using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>Maps PostgreSQL event and process rows back to the domain's types.</summary>
internal static class PostgresRows
{
    /// <summary>Select list of an event query on alias <c>e</c>.</summary>
    public const string EventColumns = """
        e.id, e.session_id, e.time_us, e.serial, e.host, e.pid, e.ppid, e.uid, e.auid, e.comm, e.exe, e.argv, e.argv_bytes,
        e.cwd, e.success, e.exit, e.syscall, e.arch, e.boot, e.process_pid, e.process_start, e.parent_boot, e.parent_pid, e.parent_start,
        e.ancestry::text, e.argv_truncated
        """;

    /// <summary>Select list of a process query on alias <c>p</c>.</summary>
    public const string ProcessColumns =
        "p.boot, p.pid, p.start, p.ppid, p.parent_boot, p.parent_pid, p.parent_start, p.exe, p.argv, p.provenance, p.first_seen_us, p.last_seen_us";

    public static StoredExec ReadEvent(NpgsqlDataReader r)
    {
        var exec = new ExecObservation
        {
            Time = UnixMicros.ToTime(r.GetInt64(2)),
            Serial = unchecked((ulong)r.GetInt64(3)),
            Host = r.GetString(4),
            Pid = r.GetInt32(5),
            Ppid = r.GetInt32(6),
            Uid = unchecked((uint)r.GetInt32(7)),
            Auid = unchecked((uint)r.GetInt32(8)),
            Comm = r.GetString(9),
            Exe = r.GetString(10),
            Argv = r.GetFieldValue<string[]>(11),
            ArgvBytes = r.IsDBNull(12) ? null : r.GetFieldValue<byte[][]>(12),
            Cwd = r.GetString(13),
            Success = r.GetBoolean(14),
            Exit = r.GetInt64(15),
            Syscall = r.GetString(16),
            Arch = r.GetString(17),
            ArgvTruncated = r.GetBoolean(25),
        };
        var e = new ExecEvent
        {
            Exec = exec,
            Process = Key(r.GetString(18), r.GetInt32(19), r.GetInt64(20)),
            Parent = Key(r.GetString(21), r.GetInt32(22), r.GetInt64(23)),
            Ancestry = AncestryJson.Read(r.GetString(24)),
        };
        return new StoredExec(r.GetInt64(0), r.GetInt64(1), e);
    }

    public static ProcessInfo ReadProcess(NpgsqlDataReader r) => new()
    {
        Key = Key(r.GetString(0), r.GetInt32(1), r.GetInt64(2)),
        Pid = r.GetInt32(1),
        Ppid = r.GetInt32(3),
        Parent = Key(r.GetString(4), r.GetInt32(5), r.GetInt64(6)),
        Exe = r.GetString(7),
        Argv = r.GetFieldValue<string[]>(8),
        Provenance = (Provenance)r.GetInt16(9),
        FirstSeen = UnixMicros.ToTime(r.GetInt64(10)),
        LastSeen = UnixMicros.ToTime(r.GetInt64(11)),
    };

    private static ProcessKey Key(string boot, int pid, long start) => pid == 0 && boot.Length == 0 ? ProcessKey.None : new ProcessKey(boot, pid, start);
}
