using ExecDashboard.Domain.Processes;
using Npgsql;
using NpgsqlTypes;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// Process ends in PostgreSQL, keyed like the SQLite engine's (<see cref="ProcessEndRows"/>) by
/// the process key itself, so an end that overtakes its exec still lands; each end is stored once
/// (<c>ON CONFLICT DO NOTHING</c>), whichever replica stores it first.
/// </summary>
internal static class PostgresProcessEnds
{
    /// <summary>Schema version 2.</summary>
    public const string Table = """
        CREATE TABLE process_ends (
            pid integer NOT NULL,
            start bigint NOT NULL,
            boot text NOT NULL,
            session_id bigint NOT NULL,
            started_us bigint NOT NULL,
            ended_us bigint NOT NULL,
            exit_code integer,
            signal integer,
            core_dumped boolean NOT NULL,
            PRIMARY KEY (pid, start, boot));
        -- "Does this boot report exits at all?": tells a running process from one whose end cannot be known.
        CREATE INDEX process_ends_boot ON process_ends (boot);
        """;

    private const string Columns = "x.pid, x.start, x.boot, x.started_us, x.ended_us, x.exit_code, x.signal, x.core_dumped";

    /// <summary>Inside the batch's transaction; one statement for all of the batch's ends.</summary>
    public static void Insert(NpgsqlConnection connection, NpgsqlTransaction transaction, long sessionId, IReadOnlyList<ProcessEnd> ends)
    {
        if (ends.Count == 0)
        {
            return;
        }

        using var command = new NpgsqlCommand("""
            INSERT INTO process_ends (pid, start, boot, session_id, started_us, ended_us, exit_code, signal, core_dumped)
            SELECT pid, start, boot, @session, started, ended, code, signal, core
            FROM unnest(@pid, @start, @boot, @started, @ended, @code, @signal, @core) AS u(pid, start, boot, started, ended, code, signal, core)
            ON CONFLICT DO NOTHING;
            """, connection, transaction);
        command.Parameters.AddWithValue("session", sessionId);
        command.Parameters.AddWithValue("pid", ends.Select(e => e.Process.Pid).ToArray());
        command.Parameters.AddWithValue("start", ends.Select(e => e.Process.StartTicks).ToArray());
        command.Parameters.AddWithValue("boot", ends.Select(e => e.Process.Boot).ToArray());
        command.Parameters.AddWithValue("started", ends.Select(e => UnixMicros.From(e.Started)).ToArray());
        command.Parameters.AddWithValue("ended", ends.Select(e => UnixMicros.From(e.Time)).ToArray());
        command.Parameters.Add(new NpgsqlParameter("code", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = ends.Select(e => e.Status.Code).ToArray() });
        command.Parameters.Add(new NpgsqlParameter("signal", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = ends.Select(e => e.Status.Signal).ToArray() });
        command.Parameters.AddWithValue("core", ends.Select(e => e.Status.CoreDumped).ToArray());
        command.ExecuteNonQuery();
    }

    public static Dictionary<ProcessKey, ProcessEnd> Read(NpgsqlDataSource dataSource, IReadOnlyCollection<ProcessKey> keys)
    {
        var wanted = keys.Where(k => !k.IsNone).Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return [];
        }

        using var c = dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"""
            SELECT {Columns} FROM process_ends x
            JOIN unnest(@pid, @start, @boot) AS k(pid, start, boot) ON x.pid = k.pid AND x.start = k.start AND x.boot = k.boot;
            """, c);
        command.Parameters.AddWithValue("pid", wanted.Select(k => k.Pid).ToArray());
        command.Parameters.AddWithValue("start", wanted.Select(k => k.StartTicks).ToArray());
        command.Parameters.AddWithValue("boot", wanted.Select(k => k.Boot).ToArray());
        return ReadAll(command);
    }

    /// <summary>Every end of the processes a session's events name (as exec'ing process or parent).</summary>
    public static Dictionary<ProcessKey, ProcessEnd> ReadForSession(NpgsqlDataSource dataSource, long sessionId)
    {
        using var c = dataSource.OpenConnection();
        using var command = new NpgsqlCommand($"""
            SELECT {Columns} FROM process_ends x
            WHERE (x.pid, x.start, x.boot) IN (
                SELECT e.process_pid, e.process_start, e.boot FROM events e WHERE e.session_id = @s
                UNION SELECT e.parent_pid, e.parent_start, e.parent_boot FROM events e WHERE e.session_id = @s);
            """, c);
        command.Parameters.AddWithValue("s", sessionId);
        return ReadAll(command);
    }

    public static bool BootReportsEnds(NpgsqlDataSource dataSource, string boot)
    {
        using var c = dataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM process_ends WHERE boot = @b);", c);
        command.Parameters.AddWithValue("b", boot);
        return (bool)command.ExecuteScalar()!;
    }

    private static Dictionary<ProcessKey, ProcessEnd> ReadAll(NpgsqlCommand command)
    {
        var found = new Dictionary<ProcessKey, ProcessEnd>();
        using var r = command.ExecuteReader();
        while (r.Read())
        {
            var end = new ProcessEnd
            {
                Process = new ProcessKey(r.GetString(2), r.GetInt32(0), r.GetInt64(1)),
                Started = UnixMicros.ToTime(r.GetInt64(3)),
                Time = UnixMicros.ToTime(r.GetInt64(4)),

                // Read defensively like every stored row: a row that says nothing reads as exit code 0.
                Status = ExitStatus.From(r.IsDBNull(5) ? null : r.GetInt32(5), r.IsDBNull(6) ? null : r.GetInt32(6), r.GetBoolean(7)) ?? ExitStatus.Exited(0),
            };
            found[end.Process] = end;
        }

        return found;
    }
}
