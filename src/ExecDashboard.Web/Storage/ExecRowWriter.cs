using System.Globalization;
using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Writes exec events into the version 2 tables inside one transaction, with prepared
/// statements: each distinct string, process and ancestor image once, then one compact row per
/// event. The one write path for collector batches, imports and the schema migration.
/// </summary>
internal sealed class ExecRowWriter : IDisposable
{
    private readonly WriteCaches _caches;
    private readonly SqliteCommand _selectText;
    private readonly SqliteCommand _insertText;
    private readonly SqliteCommand _upsertExec;
    private readonly SqliteCommand _upsertAncestor;
    private readonly SqliteCommand _selectImage;
    private readonly SqliteCommand _insertImage;
    private readonly SqliteCommand _insertEvent;

    // Per batch: every ancestor named, merged once (in a storm every child names the same few).
    private readonly Dictionary<ProcessKey, PendingAncestor> _ancestors = [];
    private readonly Dictionary<ProcessKey, long> _batchProcesses = [];

    public ExecRowWriter(SqliteConnection c, SqliteTransaction t, WriteCaches caches)
    {
        _caches = caches;
        _selectText = Prepared(c, t, "SELECT id FROM texts WHERE text = $0;", 1);
        _insertText = Prepared(c, t, "INSERT INTO texts (text) VALUES ($0) RETURNING id;", 1);
        _upsertExec = Prepared(c, t, """
            INSERT INTO processes (boot, pid, start, ppid, parent, exe, argv, provenance, first_seen_us, last_seen_us)
            VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (pid, start, boot) DO UPDATE SET
                exe = CASE WHEN excluded.provenance = 0 AND (processes.provenance > 0 OR excluded.last_seen_us >= processes.last_seen_us) THEN excluded.exe ELSE processes.exe END,
                argv = CASE WHEN excluded.provenance = 0 AND (processes.provenance > 0 OR excluded.last_seen_us >= processes.last_seen_us) THEN excluded.argv ELSE processes.argv END,
                ppid = excluded.ppid,
                parent = CASE WHEN excluded.parent <> 0 THEN excluded.parent ELSE processes.parent END,
                provenance = MIN(processes.provenance, excluded.provenance),
                first_seen_us = MIN(processes.first_seen_us, excluded.first_seen_us),
                last_seen_us = MAX(processes.last_seen_us, excluded.last_seen_us)
            RETURNING id;
            """, 10);
        _upsertAncestor = Prepared(c, t, """
            INSERT INTO processes (boot, pid, start, ppid, parent, exe, argv, provenance, first_seen_us, last_seen_us)
            VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (pid, start, boot) DO UPDATE SET
                exe = CASE WHEN excluded.provenance < processes.provenance OR processes.exe = 0 THEN excluded.exe ELSE processes.exe END,
                argv = CASE WHEN excluded.provenance < processes.provenance OR processes.exe = 0 THEN excluded.argv ELSE processes.argv END,
                ppid = CASE WHEN processes.parent = 0 THEN excluded.ppid ELSE processes.ppid END,
                parent = CASE WHEN processes.parent = 0 THEN excluded.parent ELSE processes.parent END,
                provenance = MIN(processes.provenance, excluded.provenance),
                first_seen_us = MIN(processes.first_seen_us, excluded.first_seen_us),
                last_seen_us = MAX(processes.last_seen_us, excluded.last_seen_us)
            RETURNING id;
            """, 10);
        _selectImage = Prepared(c, t, "SELECT id FROM images WHERE process = $0 AND parent_image = $1 AND exe = $2 AND argv = $3 AND provenance = $4;", 5);
        _insertImage = Prepared(c, t, "INSERT INTO images (process, parent_image, exe, argv, provenance) VALUES ($0, $1, $2, $3, $4) RETURNING id;", 5);
        _insertEvent = Prepared(c, t, """
            INSERT OR IGNORE INTO events (session_id, origin, host, boot, serial, time_us, process, parent, parent_image, pid, ppid, uid, auid,
                comm, exe, argv, argv_bytes, cwd, success, exit, syscall, arch)
            VALUES ($0, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
            RETURNING id;
            """, 22);
    }

    /// <summary>
    /// Inserts events, ignoring those already stored (same identity), and merges what they say
    /// about processes. Returns the newly stored ones with their row ids, in order.
    /// </summary>
    public List<StoredExec> Insert(long sessionId, long origin, IReadOnlyList<ExecEvent> events)
    {
        foreach (var e in events)
        {
            Gather(e);
        }

        FlushAncestors();
        var stored = new List<StoredExec>(events.Count);
        var p = _insertEvent.Parameters;
        foreach (var e in events)
        {
            var x = e.Exec;
            var time = UnixMicros.From(x.Time);
            var process = e.Process.IsNone ? 0 : UpsertExec(e, time);
            var parent = ProcessId(e.Parent, time);
            p[0].Value = sessionId;
            p[1].Value = origin;
            p[2].Value = TextId(x.Host);
            p[3].Value = TextId(e.Process.Boot);
            p[4].Value = unchecked((long)x.Serial);
            p[5].Value = time;
            p[6].Value = process;
            p[7].Value = parent;
            p[8].Value = ParentImage(e.Ancestry, time);
            p[9].Value = x.Pid;
            p[10].Value = x.Ppid;
            p[11].Value = unchecked((int)x.Uid);
            p[12].Value = unchecked((int)x.Auid);
            p[13].Value = TextId(x.Comm);
            p[14].Value = TextId(x.Exe);
            p[15].Value = ArgvId(x.Argv);
            p[16].Value = x.ArgvBytes is null ? DBNull.Value : JsonSerializer.Serialize(x.ArgvBytes);
            p[17].Value = TextId(x.Cwd);
            p[18].Value = x.Success ? 1 : 0;
            p[19].Value = x.Exit;
            p[20].Value = TextId(x.Syscall);
            p[21].Value = TextId(x.Arch);
            var id = _insertEvent.ExecuteScalar();
            if (id is not null and not DBNull)
            {
                stored.Add(new StoredExec(Convert.ToInt64(id, CultureInfo.InvariantCulture), sessionId, e));
            }
        }

        _batchProcesses.Clear();
        return stored;
    }

    /// <summary>
    /// A process described on its own (an imported session's process list, a version 1 row):
    /// merged like an ancestor, the stronger provenance wins.
    /// </summary>
    public void MergeProcess(ProcessKey key, int ppid, ProcessKey parent, string exe, IReadOnlyList<string> argv, Provenance provenance, DateTimeOffset firstSeen, DateTimeOffset lastSeen)
    {
        if (key.IsNone)
        {
            return;
        }

        var parentId = parent.IsNone ? 0 : UpsertAncestor(parent, 0, 0, string.Empty, [], Provenance.Inferred, UnixMicros.From(firstSeen), UnixMicros.From(firstSeen));
        UpsertAncestor(key, ppid, parentId, exe, argv, provenance, UnixMicros.From(firstSeen), UnixMicros.From(lastSeen));
    }

    public void Dispose()
    {
        foreach (var command in new[] { _selectText, _insertText, _upsertExec, _upsertAncestor, _selectImage, _insertImage, _insertEvent })
        {
            command.Dispose();
        }
    }

    private void Gather(ExecEvent e)
    {
        var time = UnixMicros.From(e.Exec.Time);
        for (var i = 0; i < e.Ancestry.Count; i++)
        {
            var a = e.Ancestry[i];
            var parent = i + 1 < e.Ancestry.Count ? e.Ancestry[i + 1] : null;
            _ancestors[a.Key] = _ancestors.TryGetValue(a.Key, out var seen)
                ? seen with
                {
                    Ancestor = a.Provenance < seen.Ancestor.Provenance ? a : seen.Ancestor,
                    First = Math.Min(seen.First, time),
                    Last = Math.Max(seen.Last, time),
                }
                : new PendingAncestor(a, parent?.Pid ?? 0, parent?.Key ?? ProcessKey.None, time, time);
        }

        if (!e.Parent.IsNone && !_ancestors.ContainsKey(e.Parent))
        {
            // A parent named without an ancestry (not expected from the collector): still a process.
            _ancestors[e.Parent] = new PendingAncestor(
                new Ancestor { Key = e.Parent, Pid = e.Parent.Pid, Exe = string.Empty, Argv = [], Provenance = Provenance.Inferred },
                0, ProcessKey.None, time, time);
        }
    }

    /// <summary>Writes the gathered ancestors, each after its own parent (whose id it needs).</summary>
    private void FlushAncestors()
    {
        foreach (var key in _ancestors.Keys)
        {
            FlushAncestor(key, depth: 0);
        }

        _ancestors.Clear();
    }

    private long FlushAncestor(ProcessKey key, int depth)
    {
        if (_batchProcesses.TryGetValue(key, out var id))
        {
            return id;
        }

        var a = _ancestors[key];
        var parent = a.Parent.IsNone ? 0
            : _ancestors.ContainsKey(a.Parent) && depth < 4096 ? FlushAncestor(a.Parent, depth + 1)
            : ProcessId(a.Parent, a.First);
        return UpsertAncestor(key, a.Ppid, parent, a.Ancestor.Exe, a.Ancestor.Argv, a.Ancestor.Provenance, a.First, a.Last);
    }

    private long UpsertExec(ExecEvent e, long time)
    {
        var x = e.Exec;

        // A failed exec leaves the old image in place: it proves the process exists, not what runs in it.
        return Upsert(_upsertExec, e.Process, x.Ppid, ProcessId(e.Parent, time), x.Success ? x.Exe : string.Empty,
            x.Success ? x.Argv : [], x.Success ? Provenance.ExecSeen : Provenance.Inferred, time, time);
    }

    private long UpsertAncestor(ProcessKey key, int ppid, long parent, string exe, IReadOnlyList<string> argv, Provenance provenance, long first, long last) =>
        Upsert(_upsertAncestor, key, ppid, parent, exe, argv, provenance, first, last);

    private long Upsert(SqliteCommand command, ProcessKey key, int ppid, long parent, string exe, IReadOnlyList<string> argv, Provenance provenance, long first, long last)
    {
        var p = command.Parameters;
        p[0].Value = TextId(key.Boot);
        p[1].Value = key.Pid;
        p[2].Value = key.StartTicks;
        p[3].Value = ppid;
        p[4].Value = parent;
        p[5].Value = TextId(exe);
        p[6].Value = ArgvId(argv);
        p[7].Value = (int)provenance;
        p[8].Value = first;
        p[9].Value = last;
        var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        _batchProcesses[key] = id;
        _caches.Processes.Set(key, id);
        return id;
    }

    /// <summary>The id of a process known to exist; one that does not yet is stored as inferred.</summary>
    private long ProcessId(ProcessKey key, long time)
    {
        if (key.IsNone)
        {
            return 0;
        }

        if (_batchProcesses.TryGetValue(key, out var id) || _caches.Processes.TryGet(key, out id))
        {
            return id;
        }

        return UpsertAncestor(key, 0, 0, string.Empty, [], Provenance.Inferred, time, time);
    }

    /// <summary>The image row of the nearest ancestor, its own ancestors written first (root first).</summary>
    private long ParentImage(IReadOnlyList<Ancestor> ancestry, long time)
    {
        long image = 0;
        for (var i = ancestry.Count - 1; i >= 0; i--)
        {
            var a = ancestry[i];
            var key = new ImageKey(ProcessId(a.Key, time), image, a.Exe, a.Argv, a.Provenance);
            if (!_caches.Images.TryGet(key, out var id))
            {
                id = FindOrInsertImage(key);
                _caches.Images.Set(key, id);
            }

            image = id;
        }

        return image;
    }

    private long FindOrInsertImage(ImageKey key)
    {
        var exe = TextId(key.Exe);
        var argv = ArgvId(key.Argv);
        foreach (var command in new[] { _selectImage, _insertImage })
        {
            var p = command.Parameters;
            p[0].Value = key.Process;
            p[1].Value = key.ParentImage;
            p[2].Value = exe;
            p[3].Value = argv;
            p[4].Value = (int)key.Provenance;
            if (command.ExecuteScalar() is { } id and not DBNull)
            {
                return Convert.ToInt64(id, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("SQLite returned no id for a new image row.");
    }

    private long ArgvId(IReadOnlyList<string> argv) => argv.Count == 0 ? 0 : TextId(ArgvJson.Write(argv));

    private long TextId(string text)
    {
        if (text.Length == 0)
        {
            return 0;
        }

        if (_caches.Texts.TryGet(text, out var id))
        {
            return id;
        }

        foreach (var command in new[] { _selectText, _insertText })
        {
            command.Parameters[0].Value = text;
            if (command.ExecuteScalar() is { } found and not DBNull)
            {
                id = Convert.ToInt64(found, CultureInfo.InvariantCulture);
                _caches.Texts.Set(text, id);
                return id;
            }
        }

        throw new InvalidOperationException("SQLite returned no id for a new text row.");
    }

    private static SqliteCommand Prepared(SqliteConnection c, SqliteTransaction t, string sql, int parameters)
    {
        var command = SqliteEventStore.Command(c, t, sql);
        for (var i = 0; i < parameters; i++)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture) });
        }

        command.Prepare();
        return command;
    }

    private sealed record PendingAncestor(Ancestor Ancestor, int Ppid, ProcessKey Parent, long First, long Last);
}
