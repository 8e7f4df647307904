using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Npgsql;
using NpgsqlTypes;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// Writes exec events and what they say about processes inside one open transaction: rows go to
/// temporary staging tables by binary <c>COPY</c> (one round trip for a whole batch), then one
/// <c>INSERT ... SELECT ... ON CONFLICT</c> each merges them. Events already stored (same identity,
/// from a re-sent batch or another dashboard) are skipped by the unique key, so a batch is stored
/// once however often it arrives. Processes are upserted in key order, so two dashboards writing
/// overlapping batches lock rows in the same order and cannot deadlock.
/// </summary>
internal static class PostgresEventWriter
{
    private const string StagingTables = """
        CREATE TEMP TABLE IF NOT EXISTS staged_processes (
            kind smallint NOT NULL, boot text NOT NULL, pid integer NOT NULL, start bigint NOT NULL, ppid integer NOT NULL,
            parent_boot text NOT NULL, parent_pid integer NOT NULL, parent_start bigint NOT NULL, exe text NOT NULL, argv text[] NOT NULL,
            provenance smallint NOT NULL, first_seen_us bigint NOT NULL, last_seen_us bigint NOT NULL) ON COMMIT DELETE ROWS;
        CREATE TEMP TABLE IF NOT EXISTS staged_events (
            ord integer NOT NULL, session_id bigint NOT NULL, origin bigint NOT NULL, host text NOT NULL, boot text NOT NULL,
            serial bigint NOT NULL, time_us bigint NOT NULL, process_pid integer NOT NULL, process_start bigint NOT NULL,
            parent_boot text NOT NULL, parent_pid integer NOT NULL, parent_start bigint NOT NULL, pid integer NOT NULL,
            ppid integer NOT NULL, uid integer NOT NULL, auid integer NOT NULL, comm text NOT NULL, exe text NOT NULL,
            argv text[] NOT NULL, argv_bytes bytea[], cwd text NOT NULL, success boolean NOT NULL, exit bigint NOT NULL,
            syscall text NOT NULL, arch text NOT NULL, argv_truncated boolean NOT NULL, ancestry jsonb NOT NULL) ON COMMIT DELETE ROWS;
        TRUNCATE staged_processes, staged_events;
        """;

    private const string ProcessInsert = """
        INSERT INTO processes AS p (boot, pid, start, ppid, parent_boot, parent_pid, parent_start, exe, argv, provenance, first_seen_us, last_seen_us)
        SELECT boot, pid, start, ppid, parent_boot, parent_pid, parent_start, exe, argv, provenance, first_seen_us, last_seen_us
        FROM staged_processes WHERE kind = {0} ORDER BY pid, start, boot
        ON CONFLICT (pid, start, boot) DO UPDATE SET
        """;

    /// <summary>The rules of <see cref="ProcessRow.MergeExec"/>, against the stored row.</summary>
    private const string ExecMerge = """
            exe = CASE WHEN excluded.provenance = 0 AND (p.provenance > 0 OR excluded.last_seen_us >= p.last_seen_us) THEN excluded.exe ELSE p.exe END,
            argv = CASE WHEN excluded.provenance = 0 AND (p.provenance > 0 OR excluded.last_seen_us >= p.last_seen_us) THEN excluded.argv ELSE p.argv END,
            ppid = excluded.ppid,
            parent_boot = CASE WHEN excluded.parent_pid <> 0 OR excluded.parent_boot <> '' THEN excluded.parent_boot ELSE p.parent_boot END,
            parent_pid = CASE WHEN excluded.parent_pid <> 0 OR excluded.parent_boot <> '' THEN excluded.parent_pid ELSE p.parent_pid END,
            parent_start = CASE WHEN excluded.parent_pid <> 0 OR excluded.parent_boot <> '' THEN excluded.parent_start ELSE p.parent_start END,
            provenance = LEAST(p.provenance, excluded.provenance),
            first_seen_us = LEAST(p.first_seen_us, excluded.first_seen_us),
            last_seen_us = GREATEST(p.last_seen_us, excluded.last_seen_us);
        """;

    /// <summary>The rules of <see cref="ProcessRow.MergeAncestor"/>, against the stored row.</summary>
    private const string AncestorMerge = """
            exe = CASE WHEN excluded.provenance < p.provenance OR p.exe = '' THEN excluded.exe ELSE p.exe END,
            argv = CASE WHEN excluded.provenance < p.provenance OR p.exe = '' THEN excluded.argv ELSE p.argv END,
            ppid = CASE WHEN p.parent_pid = 0 AND p.parent_boot = '' THEN excluded.ppid ELSE p.ppid END,
            parent_boot = CASE WHEN p.parent_pid = 0 AND p.parent_boot = '' THEN excluded.parent_boot ELSE p.parent_boot END,
            parent_pid = CASE WHEN p.parent_pid = 0 AND p.parent_boot = '' THEN excluded.parent_pid ELSE p.parent_pid END,
            parent_start = CASE WHEN p.parent_pid = 0 AND p.parent_boot = '' THEN excluded.parent_start ELSE p.parent_start END,
            provenance = LEAST(p.provenance, excluded.provenance),
            first_seen_us = LEAST(p.first_seen_us, excluded.first_seen_us),
            last_seen_us = GREATEST(p.last_seen_us, excluded.last_seen_us);
        """;

    private const string EventColumns = """
        session_id, origin, host, boot, serial, time_us, process_pid, process_start, parent_boot, parent_pid, parent_start,
        pid, ppid, uid, auid, comm, exe, argv, argv_bytes, cwd, success, exit, syscall, arch, argv_truncated, ancestry
        """;

    private const short AncestorKind = 0;
    private const short ExecKind = 1;

    /// <summary>
    /// Inserts events, ignoring those already stored (same identity), and merges what they say
    /// about processes. Returns the newly stored ones with their ids, in order.
    /// </summary>
    public static List<StoredExec> Insert(NpgsqlConnection c, NpgsqlTransaction t, long sessionId, long origin, IReadOnlyList<ExecEvent> events)
    {
        Execute(c, t, StagingTables);
        var ancestors = new Dictionary<ProcessKey, ProcessRow>();
        var execs = new Dictionary<ProcessKey, ProcessRow>();
        foreach (var e in events)
        {
            Gather(e, ancestors, execs);
        }

        UpsertProcesses(c, t, ancestors.Values, execs.Values);
        return InsertEvents(c, t, sessionId, origin, events);
    }

    /// <summary>Processes described on their own (an imported session's process list): merged like ancestors.</summary>
    public static void MergeProcesses(NpgsqlConnection c, NpgsqlTransaction t, IEnumerable<ProcessRow> processes)
    {
        Execute(c, t, StagingTables);
        var merged = new Dictionary<ProcessKey, ProcessRow>();
        foreach (var p in processes)
        {
            merged[p.Key] = merged.TryGetValue(p.Key, out var seen) ? seen.MergeAncestor(p) : p;
        }

        UpsertProcesses(c, t, merged.Values, []);
    }

    private static void Gather(ExecEvent e, Dictionary<ProcessKey, ProcessRow> ancestors, Dictionary<ProcessKey, ProcessRow> execs)
    {
        var time = UnixMicros.From(e.Exec.Time);
        for (var i = 0; i < e.Ancestry.Count; i++)
        {
            var a = e.Ancestry[i];
            var parent = i + 1 < e.Ancestry.Count ? e.Ancestry[i + 1] : null;
            var row = new ProcessRow(a.Key, parent?.Pid ?? 0, parent?.Key ?? ProcessKey.None, a.Exe, a.Argv, a.Provenance, time, time);
            ancestors[a.Key] = ancestors.TryGetValue(a.Key, out var seen) ? seen.MergeAncestor(row) : row;
        }

        if (!e.Parent.IsNone && !ancestors.ContainsKey(e.Parent))
        {
            // A parent named without an ancestry (not expected from the collector): still a process.
            ancestors[e.Parent] = new ProcessRow(e.Parent, 0, ProcessKey.None, string.Empty, [], Provenance.Inferred, time, time);
        }

        if (!e.Process.IsNone)
        {
            // A failed exec leaves the old image in place: it proves the process exists, not what runs in it.
            var x = e.Exec;
            var row = new ProcessRow(e.Process, x.Ppid, e.Parent, x.Success ? x.Exe : string.Empty, x.Success ? x.Argv : [],
                x.Success ? Provenance.ExecSeen : Provenance.Inferred, time, time);
            execs[e.Process] = execs.TryGetValue(e.Process, out var seen) ? seen.MergeExec(row) : row;
        }
    }

    private static void UpsertProcesses(NpgsqlConnection c, NpgsqlTransaction t, IEnumerable<ProcessRow> ancestors, IEnumerable<ProcessRow> execs)
    {
        var any = new bool[2];
        using (var copy = c.BeginBinaryImport("""
            COPY staged_processes (kind, boot, pid, start, ppid, parent_boot, parent_pid, parent_start, exe, argv, provenance, first_seen_us, last_seen_us)
            FROM STDIN (FORMAT BINARY)
            """))
        {
            foreach (var (kind, rows) in new[] { (AncestorKind, ancestors), (ExecKind, execs) })
            {
                foreach (var p in rows)
                {
                    any[kind] = true;
                    copy.StartRow();
                    copy.Write(kind, NpgsqlDbType.Smallint);
                    copy.Write(p.Key.Boot, NpgsqlDbType.Text);
                    copy.Write(p.Key.Pid, NpgsqlDbType.Integer);
                    copy.Write(p.Key.StartTicks, NpgsqlDbType.Bigint);
                    copy.Write(p.Ppid, NpgsqlDbType.Integer);
                    copy.Write(p.Parent.Boot ?? string.Empty, NpgsqlDbType.Text);
                    copy.Write(p.Parent.Pid, NpgsqlDbType.Integer);
                    copy.Write(p.Parent.StartTicks, NpgsqlDbType.Bigint);
                    copy.Write(p.Exe, NpgsqlDbType.Text);
                    copy.Write(p.Argv.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                    copy.Write((short)p.Provenance, NpgsqlDbType.Smallint);
                    copy.Write(p.First, NpgsqlDbType.Bigint);
                    copy.Write(p.Last, NpgsqlDbType.Bigint);
                }
            }

            copy.Complete();
        }

        // Ancestors first: an exec's own row then overrides what a child's view of it said.
        if (any[AncestorKind])
        {
            Execute(c, t, string.Format(CultureInfo.InvariantCulture, ProcessInsert, AncestorKind) + AncestorMerge);
        }

        if (any[ExecKind])
        {
            Execute(c, t, string.Format(CultureInfo.InvariantCulture, ProcessInsert, ExecKind) + ExecMerge);
        }
    }

    private static List<StoredExec> InsertEvents(NpgsqlConnection c, NpgsqlTransaction t, long sessionId, long origin, IReadOnlyList<ExecEvent> events)
    {
        using (var copy = c.BeginBinaryImport($"COPY staged_events (ord, {EventColumns}) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                var x = e.Exec;
                copy.StartRow();
                copy.Write(i, NpgsqlDbType.Integer);
                copy.Write(sessionId, NpgsqlDbType.Bigint);
                copy.Write(origin, NpgsqlDbType.Bigint);
                copy.Write(x.Host, NpgsqlDbType.Text);
                copy.Write(e.Process.Boot ?? string.Empty, NpgsqlDbType.Text);
                copy.Write(unchecked((long)x.Serial), NpgsqlDbType.Bigint);
                copy.Write(UnixMicros.From(x.Time), NpgsqlDbType.Bigint);
                copy.Write(e.Process.Pid, NpgsqlDbType.Integer);
                copy.Write(e.Process.StartTicks, NpgsqlDbType.Bigint);
                copy.Write(e.Parent.Boot ?? string.Empty, NpgsqlDbType.Text);
                copy.Write(e.Parent.Pid, NpgsqlDbType.Integer);
                copy.Write(e.Parent.StartTicks, NpgsqlDbType.Bigint);
                copy.Write(x.Pid, NpgsqlDbType.Integer);
                copy.Write(x.Ppid, NpgsqlDbType.Integer);
                copy.Write(unchecked((int)x.Uid), NpgsqlDbType.Integer);
                copy.Write(unchecked((int)x.Auid), NpgsqlDbType.Integer);
                copy.Write(x.Comm, NpgsqlDbType.Text);
                copy.Write(x.Exe, NpgsqlDbType.Text);
                copy.Write(x.Argv.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
                if (x.ArgvBytes is null)
                {
                    copy.WriteNull();
                }
                else
                {
                    copy.Write(x.ArgvBytes.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bytea);
                }

                copy.Write(x.Cwd, NpgsqlDbType.Text);
                copy.Write(x.Success, NpgsqlDbType.Boolean);
                copy.Write(x.Exit, NpgsqlDbType.Bigint);
                copy.Write(x.Syscall, NpgsqlDbType.Text);
                copy.Write(x.Arch, NpgsqlDbType.Text);
                copy.Write(x.ArgvTruncated, NpgsqlDbType.Boolean);
                copy.Write(AncestryJson.Write(e.Ancestry), NpgsqlDbType.Jsonb);
            }

            copy.Complete();
        }

        // ORDER BY ord: ids are drawn in the batch's order, so they ascend in arrival order.
        using var insert = new NpgsqlCommand($"""
            INSERT INTO events ({EventColumns}) SELECT {EventColumns} FROM staged_events ORDER BY ord
            ON CONFLICT DO NOTHING RETURNING id, host, boot, serial, time_us;
            """, c, t);
        var inserted = new Dictionary<(string Host, string Boot, long Serial, long Time), long>(events.Count);
        using (var r = insert.ExecuteReader())
        {
            while (r.Read())
            {
                inserted[(r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4))] = r.GetInt64(0);
            }
        }

        var stored = new List<StoredExec>(inserted.Count);
        foreach (var e in events)
        {
            if (inserted.Count == 0)
            {
                break;
            }

            // Removed once matched: a second event with the same identity in this batch was the one skipped.
            if (inserted.Remove((e.Exec.Host, e.Process.Boot ?? string.Empty, unchecked((long)e.Exec.Serial), UnixMicros.From(e.Exec.Time)), out var id))
            {
                stored.Add(new StoredExec(id, sessionId, e));
            }
        }

        return stored;
    }

    internal static void Execute(NpgsqlConnection c, NpgsqlTransaction? t, string sql)
    {
        using var command = new NpgsqlCommand(sql, c, t);
        command.ExecuteNonQuery();
    }
}
