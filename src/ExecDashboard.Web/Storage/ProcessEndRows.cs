using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Process ends in their own table, keyed by the process key itself (pid, start, boot text), not
/// by the process row: an end may arrive before the exec that creates the row (the collector's
/// exit overtook it, or the process is known only from the collector's /proc snapshot), and it
/// still lands; it joins the process whenever that shows up. Written with INSERT OR IGNORE, so a
/// re-sent batch stores each end once.
/// </summary>
internal static class ProcessEndRows
{
    /// <summary>Schema version 4.</summary>
    public const string Table = """
        CREATE TABLE process_ends (
            pid INTEGER NOT NULL,
            start INTEGER NOT NULL,
            boot TEXT NOT NULL,
            session_id INTEGER NOT NULL,
            started_us INTEGER NOT NULL,
            ended_us INTEGER NOT NULL,
            exit_code INTEGER,
            signal INTEGER,
            core_dumped INTEGER NOT NULL,
            PRIMARY KEY (pid, start, boot)) WITHOUT ROWID;
        -- "Does this boot report exits at all?": tells a running process from one whose end cannot be known.
        CREATE INDEX process_ends_boot ON process_ends (boot);
        """;

    /// <summary>Stores each end once; returns how many were new.</summary>
    public static int Insert(SqliteConnection connection, SqliteTransaction transaction, long sessionId, IReadOnlyList<ProcessEnd> ends)
    {
        if (ends.Count == 0)
        {
            return 0;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT OR IGNORE INTO process_ends (pid, start, boot, session_id, started_us, ended_us, exit_code, signal, core_dumped)
            VALUES ($pid, $start, $boot, $session, $started, $ended, $code, $signal, $core);
            """;
        var pid = command.Parameters.Add("$pid", SqliteType.Integer);
        var start = command.Parameters.Add("$start", SqliteType.Integer);
        var boot = command.Parameters.Add("$boot", SqliteType.Text);
        command.Parameters.AddWithValue("$session", sessionId);
        var started = command.Parameters.Add("$started", SqliteType.Integer);
        var ended = command.Parameters.Add("$ended", SqliteType.Integer);
        var code = command.Parameters.Add("$code", SqliteType.Integer);
        var signal = command.Parameters.Add("$signal", SqliteType.Integer);
        var core = command.Parameters.Add("$core", SqliteType.Integer);
        command.Prepare();
        var inserted = 0;
        foreach (var end in ends)
        {
            pid.Value = end.Process.Pid;
            start.Value = end.Process.StartTicks;
            boot.Value = end.Process.Boot;
            started.Value = UnixMicros.From(end.Started);
            ended.Value = UnixMicros.From(end.Time);
            code.Value = end.Status.Code is { } c ? c : DBNull.Value;
            signal.Value = end.Status.Signal is { } s ? s : DBNull.Value;
            core.Value = end.Status.CoreDumped ? 1 : 0;
            inserted += command.ExecuteNonQuery();
        }

        return inserted;
    }

    /// <summary>The ends stored for any of <paramref name="keys"/>.</summary>
    public static Dictionary<ProcessKey, ProcessEnd> Read(SqliteConnection connection, IReadOnlyCollection<ProcessKey> keys)
    {
        var found = new Dictionary<ProcessKey, ProcessEnd>();
        var wanted = keys.Where(k => !k.IsNone).Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return found;
        }

        // All keys in one JSON parameter, as PostgreSQL takes them in arrays: a statement with three
        // parameters per key spent most of a page of descendants preparing and binding it. The
        // keys drive the join (CROSS JOIN keeps that order), so each is one seek.
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT x.pid, x.start, x.boot, x.started_us, x.ended_us, x.exit_code, x.signal, x.core_dumped
            FROM json_each($keys) k CROSS JOIN process_ends x
            ON x.pid = k.value ->> 0 AND x.start = k.value ->> 1 AND x.boot = k.value ->> 2;
            """;
        command.Parameters.AddWithValue("$keys", KeysJson(wanted));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var end = ReadEnd(reader);
            found[end.Process] = end;
        }

        return found;
    }

    /// <summary>Every end of the processes a session's events name, by key (for the trace export and timelines).</summary>
    public static Dictionary<ProcessKey, ProcessEnd> ReadForSession(SqliteConnection connection, long sessionId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT x.pid, x.start, x.boot, x.started_us, x.ended_us, x.exit_code, x.signal, x.core_dumped
            FROM processes p JOIN texts b ON b.id = p.boot JOIN process_ends x ON x.pid = p.pid AND x.start = p.start AND x.boot = b.text
            WHERE p.id IN (SELECT process FROM events WHERE session_id = $s UNION SELECT parent FROM events WHERE session_id = $s);
            """;
        command.Parameters.AddWithValue("$s", sessionId);
        var found = new Dictionary<ProcessKey, ProcessEnd>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var end = ReadEnd(reader);
            found[end.Process] = end;
        }

        return found;
    }

    /// <summary>True when some process of this boot has a stored end: its source reports exits.</summary>
    public static bool BootReportsEnds(SqliteConnection connection, string boot)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM process_ends WHERE boot = $b);";
        command.Parameters.AddWithValue("$b", boot);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
    }

    /// <summary><c>[[pid, start, boot], ...]</c>.</summary>
    private static string KeysJson(ProcessKey[] keys)
    {
        var buffer = new ArrayBufferWriter<byte>(keys.Length * 32);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var key in keys)
            {
                json.WriteStartArray();
                json.WriteNumberValue(key.Pid);
                json.WriteNumberValue(key.StartTicks);
                json.WriteStringValue(key.Boot);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        // Text, not a blob: SQLite reads a blob given to json_each as its binary JSONB.
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static ProcessEnd ReadEnd(SqliteDataReader r) => new()
    {
        Process = new ProcessKey(r.GetString(2), r.GetInt32(0), r.GetInt64(1)),
        Started = UnixMicros.ToTime(r.GetInt64(3)),
        Time = UnixMicros.ToTime(r.GetInt64(4)),

        // Read defensively like every stored row: a row that says nothing reads as exit code 0.
        Status = ExitStatus.From(r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6), r.GetInt64(7) != 0) ?? ExitStatus.Exited(0),
    };
}
