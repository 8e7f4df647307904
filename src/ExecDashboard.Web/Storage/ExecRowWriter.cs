using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Writes exec events into the version 2 tables inside the connection's open transaction, with
/// prepared statements bound by position: each distinct string, process and ancestor image once,
/// then the exec'ing processes and the event rows 64 to a statement. The one write path for
/// collector batches, imports and the schema migration.
/// </summary>
internal sealed class ExecRowWriter : IDisposable
{
    /// <summary>Rows per multi-row statement: one step for 64 rows instead of 64 steps.</summary>
    private const int RowsPerStatement = 64;

    private const int ProcessColumns = 10;
    private const int EventColumns = 23;

    private const string ProcessRows = "INTO processes (boot, pid, start, ppid, parent, exe, argv, provenance, first_seen_us, last_seen_us) VALUES {0}";

    private const string ProcessInsert = "INSERT " + ProcessRows;

    /// <summary>Processes that exec for the first time (a storm's children): nothing to merge, no row to return.</summary>
    private const string ExecInsert = "INSERT OR IGNORE " + ProcessRows;

    /// <summary>An exec's process: a later successful exec replaces the image; the strongest provenance wins.</summary>
    private const string ExecUpsert = ProcessInsert + """

        ON CONFLICT (pid, start, boot) DO UPDATE SET
            exe = CASE WHEN excluded.provenance = 0 AND (processes.provenance > 0 OR excluded.last_seen_us >= processes.last_seen_us) THEN excluded.exe ELSE processes.exe END,
            argv = CASE WHEN excluded.provenance = 0 AND (processes.provenance > 0 OR excluded.last_seen_us >= processes.last_seen_us) THEN excluded.argv ELSE processes.argv END,
            ppid = excluded.ppid,
            parent = CASE WHEN excluded.parent <> 0 THEN excluded.parent ELSE processes.parent END,
            provenance = MIN(processes.provenance, excluded.provenance),
            first_seen_us = MIN(processes.first_seen_us, excluded.first_seen_us),
            last_seen_us = MAX(processes.last_seen_us, excluded.last_seen_us)
        RETURNING id, pid, start, boot;
        """;

    /// <summary>An ancestor as a child saw it: fills what is unknown, never overrides a stronger source.</summary>
    private const string AncestorUpsert = ProcessInsert + """

        ON CONFLICT (pid, start, boot) DO UPDATE SET
            exe = CASE WHEN excluded.provenance < processes.provenance OR processes.exe = 0 THEN excluded.exe ELSE processes.exe END,
            argv = CASE WHEN excluded.provenance < processes.provenance OR processes.exe = 0 THEN excluded.argv ELSE processes.argv END,
            ppid = CASE WHEN processes.parent = 0 THEN excluded.ppid ELSE processes.ppid END,
            parent = CASE WHEN processes.parent = 0 THEN excluded.parent ELSE processes.parent END,
            provenance = MIN(processes.provenance, excluded.provenance),
            first_seen_us = MIN(processes.first_seen_us, excluded.first_seen_us),
            last_seen_us = MAX(processes.last_seen_us, excluded.last_seen_us)
        RETURNING id, pid, start, boot;
        """;

    private const string EventInsert = """
        INSERT OR IGNORE INTO events (session_id, origin, host, boot, serial, time_us, process, parent, parent_image, pid, ppid, uid, auid,
            comm, exe, argv, argv_bytes, cwd, success, exit, syscall, arch, argv_truncated) VALUES {0}
        """;

    private readonly SqliteConnection _connection;
    private readonly WriteCaches _caches;
    private readonly RawStatement _selectText;
    private readonly RawStatement _insertText;
    private readonly RawStatement _upsertAncestor;
    private readonly RawStatement _selectImage;
    private readonly RawStatement _insertImage;
    private readonly RawStatement _insertExecs;
    private readonly RawStatement _upsertExecs;
    private readonly RawStatement _insertEvents;
    private readonly RawStatement _selectEvent;

    // Per batch: every ancestor named, merged once (in a storm every child names the same few),
    // and the id of every process written. Keyed in start order as the shared cache is
    // (WriteCaches.Processes): a batch's 2,048 new processes sit side by side, not scattered.
    private readonly Dictionary<ProcessKey, PendingAncestor> _ancestors = new(SequentialKeyComparer.Instance);
    private readonly Dictionary<ProcessKey, long> _batchProcesses = new(SequentialKeyComparer.Instance);

    // What one multi-row upsert returned, matched to its rows; kept and cleared rather than built
    // for every 64 rows.
    private readonly Dictionary<(long Pid, long Start, long Boot), long> _upserted = new(RowsPerStatement);

    // The shared instance of each argument list of the rows in hand, found with its id.
    private readonly IReadOnlyList<string>[] _sharedArgvs = new IReadOnlyList<string>[RowsPerStatement];

    // The last ancestry written and its parent image: siblings (a storm's children, a script's
    // commands) name the same ancestors, the same instances of them, one event after another.
    private IReadOnlyList<Ancestor> _lastAncestry = [];
    private long _lastParentImage;
    private bool _compact;

    // The last ancestry gathered (with its event's parent) and the times of the events after it
    // that named the same ancestors: merged into their entries once, when another ancestry comes.
    private IReadOnlyList<Ancestor> _gathered = [];
    private ProcessKey _gatheredParent;
    private long _gatheredFirst = long.MaxValue;
    private long _gatheredLast = long.MinValue;

    // Each text column's value in the previous row: consecutive execs mostly repeat their host,
    // boot, directory, syscall and architecture, and comparing with the last value is cheaper
    // than the shared caches' locked, hashed look-ups (seven ids and eight shared instances per
    // event: about a fifth of the writer's samples during a replay, perf).
    private LastText _host, _boot, _comm, _exe, _cwd, _syscall, _arch;

    public ExecRowWriter(SqliteConnection c, WriteCaches caches)
    {
        _connection = c;
        _caches = caches;
        _selectText = new RawStatement(c, "SELECT id FROM texts WHERE text = ?1;");
        _insertText = new RawStatement(c, "INSERT INTO texts (text) VALUES (?1) RETURNING id;");
        _upsertAncestor = Rows(c, AncestorUpsert, ProcessColumns, 1);
        _selectImage = new RawStatement(c, "SELECT id FROM images WHERE process = ?1 AND parent_image = ?2 AND exe = ?3 AND argv = ?4 AND provenance = ?5;");
        _insertImage = new RawStatement(c, "INSERT INTO images (process, parent_image, exe, argv, provenance) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id;");
        _insertExecs = Rows(c, ExecInsert, ProcessColumns, RowsPerStatement);
        _upsertExecs = Rows(c, ExecUpsert, ProcessColumns, RowsPerStatement);
        _insertEvents = Rows(c, EventInsert, EventColumns, RowsPerStatement);
        _selectEvent = new RawStatement(c, "SELECT id FROM events WHERE origin = ?1 AND host = ?2 AND boot = ?3 AND serial = ?4 AND time_us = ?5;");
    }

    /// <summary>
    /// Inserts events, ignoring those already stored (same identity), and merges what they say
    /// about processes. Returns the newly stored ones with their row ids, in order; with
    /// <paramref name="compact"/> (events kept in memory afterwards, as the hot window does) each
    /// shares its strings and lists with the events stored before it.
    /// </summary>
    public List<StoredExec> Insert(long sessionId, long origin, IReadOnlyList<ExecEvent> events, bool compact = true)
    {
        _compact = compact;
        var stored = new List<StoredExec>(events.Count);
        Write(sessionId, origin, events, stored);
        return stored;
    }

    /// <summary>
    /// Inserts events like <see cref="Insert"/> and returns only how many were new: for events
    /// nobody keeps in memory (an import's), SQLite counts them and no row comes back to match.
    /// </summary>
    public int InsertCounted(long sessionId, long origin, IReadOnlyList<ExecEvent> events) =>
        Write(sessionId, origin, events, stored: null);

    private int Write(long sessionId, long origin, IReadOnlyList<ExecEvent> events, List<StoredExec>? stored)
    {
        foreach (var e in events)
        {
            Gather(e);
        }

        WidenGathered();
        FlushAncestors();
        var inserted = 0;
        Span<long> argvIds = stackalloc long[RowsPerStatement];
        Span<long> processIds = stackalloc long[RowsPerStatement];
        for (var first = 0; first < events.Count; first += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, events.Count - first);

            // Both statements need each event's argument list id, and the hot window its shared
            // instance: looked up once, not once per statement.
            for (var i = 0; i < count; i++)
            {
                var argv = SharedArgvOf(events[first + i].Exec.Argv);
                argvIds[i] = argv.Id;
                _sharedArgvs[i] = argv.Argv;
            }

            UpsertExecs(events, first, count, argvIds, processIds);
            inserted += InsertEvents(sessionId, origin, events, first, count, argvIds, processIds, stored);
        }

        _batchProcesses.Clear();
        Array.Clear(_sharedArgvs);
        return inserted;
    }

    /// <summary>
    /// Forgets what the last transaction left (a batch that failed half way, ids it handed out)
    /// and makes every statement ready: the writer is kept from one transaction to the next.
    /// </summary>
    public void BeginTransaction()
    {
        _ancestors.Clear();
        _batchProcesses.Clear();
        ForgetGathered();
        _lastAncestry = [];
        _lastParentImage = 0;
        _host = _boot = _comm = _exe = _cwd = _syscall = _arch = default;
        foreach (var statement in Statements())
        {
            statement.Reset();
        }
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
        foreach (var statement in Statements())
        {
            statement.Dispose();
        }
    }

    private RawStatement[] Statements() => [_selectText, _insertText, _upsertAncestor, _selectImage, _insertImage, _insertExecs, _upsertExecs, _insertEvents, _selectEvent];

    /// <summary>
    /// Writes the exec'ing processes of events [first, first + count) in one statement: inserted
    /// when none is known to exist yet (the usual case, a new process's first exec), else merged.
    /// Each row's process id goes into <paramref name="processIds"/> (0 for an event without a
    /// process), for the event rows, which would otherwise look each up again.
    /// </summary>
    private void UpsertExecs(IReadOnlyList<ExecEvent> events, int first, int count, ReadOnlySpan<long> argvIds, Span<long> processIds)
    {
        processIds[..count].Clear();
        var rows = 0;
        var fresh = true;
        for (var i = first; i < first + count; i++)
        {
            var key = events[i].Process;
            if (!key.IsNone)
            {
                rows++;

                // Written already as an ancestor of this batch, or stored lately: merged, not inserted.
                fresh = fresh && !_batchProcesses.ContainsKey(key) && !_caches.Processes.TryGet(key, out _);
            }
        }

        if (rows == 0 || (fresh && TryInsertExecs(events, first, count, argvIds, processIds, rows)))
        {
            return;
        }

        using var owned = rows == RowsPerStatement ? null : Rows(_connection, ExecUpsert, ProcessColumns, rows);
        var statement = owned ?? _upsertExecs;
        BindExecs(statement, events, first, count, argvIds);
        var ids = _upserted;
        ids.Clear();
        while (statement.Step())
        {
            ids[(statement.Int64(1), statement.Int64(2), statement.Int64(3))] = statement.Int64(0);
        }

        statement.Reset();
        for (var i = first; i < first + count; i++)
        {
            var key = events[i].Process;
            if (!key.IsNone)
            {
                processIds[i - first] = ids[(key.Pid, key.StartTicks, TextId(key.Boot, ref _boot))];
                Remember(key, processIds[i - first]);
            }
        }
    }

    /// <summary>
    /// Inserts the processes as new rows, without the upsert's merge and returned rows (each
    /// about doubled the cost of a row). True when every one was new: SQLite then gave them the
    /// next row ids, in order (a rowid table without AUTOINCREMENT takes the largest id plus
    /// one, and no id is ever written by hand). False when one existed after all (stored before
    /// this dashboard's caches knew of it, or twice in these rows): the caller merges them all
    /// then, which leaves the rows inserted here as they are.
    /// </summary>
    private bool TryInsertExecs(IReadOnlyList<ExecEvent> events, int first, int count, ReadOnlySpan<long> argvIds, Span<long> processIds, int rows)
    {
        using var owned = rows == RowsPerStatement ? null : Rows(_connection, ExecInsert, ProcessColumns, rows);
        var statement = owned ?? _insertExecs;
        BindExecs(statement, events, first, count, argvIds);
        statement.Step();
        statement.Reset();
        if (statement.Changes != rows)
        {
            return false;
        }

        var id = statement.LastInsertRowId - rows + 1;
        for (var i = first; i < first + count; i++)
        {
            var key = events[i].Process;
            if (!key.IsNone)
            {
                processIds[i - first] = id;
                Remember(key, id++);
            }
        }

        return true;
    }

    private void BindExecs(RawStatement statement, IReadOnlyList<ExecEvent> events, int first, int count, ReadOnlySpan<long> argvIds)
    {
        var at = 1;
        for (var i = first; i < first + count; i++)
        {
            var e = events[i];
            if (e.Process.IsNone)
            {
                continue;
            }

            var x = e.Exec;
            var time = UnixMicros.From(x.Time);

            // A failed exec leaves the old image in place: it proves the process exists, not what runs in it.
            BindProcess(statement, ref at, e.Process, x.Ppid, ProcessId(e.Parent, time), x.Success ? TextId(x.Exe, ref _exe) : 0,
                x.Success ? argvIds[i - first] : 0, x.Success ? Provenance.ExecSeen : Provenance.Inferred, time, time);
        }
    }

    /// <summary>
    /// Inserts events [first, first + count) in one statement; those already stored are ignored.
    /// Returns how many were new; with <paramref name="stored"/> each new one is added to it with its row id.
    /// </summary>
    private int InsertEvents(long sessionId, long origin, IReadOnlyList<ExecEvent> events, int first, int count, ReadOnlySpan<long> argvIds, ReadOnlySpan<long> processIds, List<StoredExec>? stored)
    {
        using var owned = count == RowsPerStatement ? null : Rows(_connection, EventInsert, EventColumns, count);
        var s = owned ?? _insertEvents;
        var at = 1;
        Span<(long ParentImage, long Argv)> shared = stackalloc (long, long)[count];
        for (var i = first; i < first + count; i++)
        {
            var e = events[i];
            var x = e.Exec;
            var time = UnixMicros.From(x.Time);
            shared[i - first] = (ParentImage(e.Ancestry, time), argvIds[i - first]);
            s.Bind(at++, sessionId);
            s.Bind(at++, origin);
            s.Bind(at++, TextId(x.Host, ref _host));
            s.Bind(at++, TextId(e.Process.Boot, ref _boot));
            s.Bind(at++, unchecked((long)x.Serial));
            s.Bind(at++, time);
            s.Bind(at++, processIds[i - first]);
            s.Bind(at++, ProcessId(e.Parent, time));
            s.Bind(at++, shared[i - first].ParentImage);
            s.Bind(at++, x.Pid);
            s.Bind(at++, x.Ppid);
            s.Bind(at++, unchecked((int)x.Uid));
            s.Bind(at++, unchecked((int)x.Auid));
            s.Bind(at++, TextId(x.Comm, ref _comm));
            s.Bind(at++, TextId(x.Exe, ref _exe));
            s.Bind(at++, shared[i - first].Argv);
            s.Bind(at++, x.ArgvBytes is null ? null : JsonSerializer.Serialize(x.ArgvBytes));
            s.Bind(at++, TextId(x.Cwd, ref _cwd));
            s.Bind(at++, x.Success ? 1 : 0);
            s.Bind(at++, x.Exit);
            s.Bind(at++, TextId(x.Syscall, ref _syscall));
            s.Bind(at++, TextId(x.Arch, ref _arch));
            s.Bind(at++, x.ArgvTruncated ? 1 : 0);
        }

        s.Step();
        s.Reset();
        var added = s.Changes;
        if (stored is null || added == 0)
        {
            return added;
        }

        // The new rows took the next row ids, in order (see TryInsertExecs), so no row needs to
        // come back from SQLite to say which events were new and under which id: when all were,
        // the event's position tells its id. Else (a re-sent batch) each event's id is looked up,
        // and those with the ids just handed out, in order, are the new ones.
        var last = s.LastInsertRowId;
        var next = last - added + 1;
        for (var i = first; i < first + count && next <= last; i++)
        {
            var e = events[i];
            if (added == count || StoredId(origin, e) == next)
            {
                stored.Add(new StoredExec(next++, sessionId, _compact ? Compact(e, shared[i - first].ParentImage, _sharedArgvs[i - first]) : e));
            }
        }

        return added;
    }

    private long StoredId(long origin, ExecEvent e)
    {
        _selectEvent.Bind(1, origin);
        _selectEvent.Bind(2, TextId(e.Exec.Host, ref _host));
        _selectEvent.Bind(3, TextId(e.Process.Boot, ref _boot));
        _selectEvent.Bind(4, unchecked((long)e.Exec.Serial));
        _selectEvent.Bind(5, UnixMicros.From(e.Exec.Time));
        var id = _selectEvent.Step() ? _selectEvent.Int64(0) : 0;
        _selectEvent.Reset();
        return id;
    }

    /// <summary>
    /// The event as the store keeps it in memory: its strings, argument list and ancestry chain
    /// replaced by the instances every other event with the same content already uses.
    /// </summary>
    private ExecEvent Compact(ExecEvent e, long parentImage, IReadOnlyList<string> argv)
    {
        var x = e.Exec;
        var host = Intern(x.Host, ref _host);
        var comm = Intern(x.Comm, ref _comm);
        var exe = Intern(x.Exe, ref _exe);
        var cwd = Intern(x.Cwd, ref _cwd);
        var syscall = Intern(x.Syscall, ref _syscall);
        var arch = Intern(x.Arch, ref _arch);

        // The hub's reader already hands out one instance per short string: an observation whose
        // parts are all shared is kept as it is, one copy fewer per live exec.
        var exec = ReferenceEquals(host, x.Host) && ReferenceEquals(comm, x.Comm) && ReferenceEquals(exe, x.Exe)
            && ReferenceEquals(cwd, x.Cwd) && ReferenceEquals(syscall, x.Syscall) && ReferenceEquals(arch, x.Arch) && ReferenceEquals(argv, x.Argv)
            ? x
            : x with { Host = host, Comm = comm, Exe = exe, Cwd = cwd, Syscall = syscall, Arch = arch, Argv = argv };
        var processBoot = Intern(e.Process.Boot, ref _boot);
        var parentBoot = Intern(e.Parent.Boot, ref _boot);
        var ancestry = parentImage == 0 ? [] : Shared(_caches.Chains, parentImage, e.Ancestry);

        // Likewise the event itself, when its keys' boots and its ancestry are already the shared ones.
        return ReferenceEquals(exec, x) && ReferenceEquals(processBoot, e.Process.Boot) && ReferenceEquals(parentBoot, e.Parent.Boot)
            && (ReferenceEquals(ancestry, e.Ancestry) || (ancestry.Count == 0 && e.Ancestry.Count == 0))
            ? e
            : e with
            {
                Exec = exec,
                Process = e.Process with { Boot = processBoot },
                Parent = e.Parent with { Boot = parentBoot },
                Ancestry = ancestry,
            };
    }

    private static T Shared<T>(BoundedCache<long, T> cache, long id, T value)
    {
        if (cache.TryGet(id, out var known))
        {
            return known;
        }

        cache.Set(id, value);
        return value;
    }

    /// <summary>The shared instance of a column's text, remembered with the column's last value.</summary>
    private string Intern(string text, ref LastText last)
    {
        if (last.Shared is not null && string.Equals(text, last.Text, StringComparison.Ordinal))
        {
            return last.Shared;
        }

        var shared = Intern(text);
        last = new LastText(text, string.Equals(text, last.Text, StringComparison.Ordinal) ? last.Id : null, shared);
        return shared;
    }

    private string Intern(string text)
    {
        if (_caches.Strings.TryGet(text, out var known))
        {
            return known;
        }

        _caches.Strings.Set(text, text);
        return text;
    }

    private void Gather(ExecEvent e)
    {
        var time = UnixMicros.From(e.Exec.Time);
        if (e.Parent == _gatheredParent && SharedAncestry.SameInstances(e.Ancestry, _gathered))
        {
            // The previous event's ancestors (a storm's next sibling): gathering them again would
            // find each entry and change nothing but its times, so only the times are kept, and
            // merged once (WidenGathered), instead of hashing each ancestor of each event.
            _gatheredFirst = Math.Min(_gatheredFirst, time);
            _gatheredLast = Math.Max(_gatheredLast, time);
            return;
        }

        WidenGathered();
        _gathered = e.Ancestry;
        _gatheredParent = e.Parent;
        for (var i = 0; i < e.Ancestry.Count; i++)
        {
            var a = e.Ancestry[i];
            var parent = i + 1 < e.Ancestry.Count ? e.Ancestry[i + 1] : null;

            // Updated in place: in a storm every event names the same few ancestors.
            ref var seen = ref CollectionsMarshal.GetValueRefOrAddDefault(_ancestors, a.Key, out var known);
            seen = known
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

    /// <summary>Merges the times of the events that repeated the last ancestry gathered into its ancestors' entries.</summary>
    private void WidenGathered()
    {
        if (_gatheredFirst <= _gatheredLast)
        {
            for (var i = 0; i < _gathered.Count; i++)
            {
                ref var seen = ref CollectionsMarshal.GetValueRefOrNullRef(_ancestors, _gathered[i].Key);
                if (Unsafe.IsNullRef(ref seen))
                {
                    continue;
                }

                seen = seen with { First = Math.Min(seen.First, _gatheredFirst), Last = Math.Max(seen.Last, _gatheredLast) };
            }
        }

        _gatheredFirst = long.MaxValue;
        _gatheredLast = long.MinValue;
    }

    private void ForgetGathered()
    {
        _gathered = [];
        _gatheredParent = default;
        _gatheredFirst = long.MaxValue;
        _gatheredLast = long.MinValue;
    }

    /// <summary>Writes the gathered ancestors, each after its own parent (whose id it needs).</summary>
    private void FlushAncestors()
    {
        foreach (var key in _ancestors.Keys)
        {
            FlushAncestor(key, depth: 0);
        }

        _ancestors.Clear();
        ForgetGathered();
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

    private long UpsertAncestor(ProcessKey key, int ppid, long parent, string exe, IReadOnlyList<string> argv, Provenance provenance, long first, long last)
    {
        var at = 1;
        BindProcess(_upsertAncestor, ref at, key, ppid, parent, TextId(exe), ArgvId(argv), provenance, first, last);
        _upsertAncestor.Step();
        var id = _upsertAncestor.Int64(0);
        _upsertAncestor.Reset();
        Remember(key, id);
        return id;
    }

    private void BindProcess(RawStatement s, ref int at, ProcessKey key, int ppid, long parent, long exe, long argv, Provenance provenance, long first, long last)
    {
        s.Bind(at++, TextId(key.Boot, ref _boot));
        s.Bind(at++, key.Pid);
        s.Bind(at++, key.StartTicks);
        s.Bind(at++, ppid);
        s.Bind(at++, parent);
        s.Bind(at++, exe);
        s.Bind(at++, argv);
        s.Bind(at++, (int)provenance);
        s.Bind(at++, first);
        s.Bind(at++, last);
    }

    private void Remember(ProcessKey key, long id)
    {
        _batchProcesses[key] = id;
        _caches.Processes.Set(key, id);
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
        if (SharedAncestry.SameInstances(ancestry, _lastAncestry))
        {
            // The same ancestors (immutable, so the same images): no key to hash per ancestor.
            return _lastParentImage;
        }

        _lastParentImage = ImageOf(ancestry, time);
        _lastAncestry = ancestry;
        return _lastParentImage;
    }

    private long ImageOf(IReadOnlyList<Ancestor> ancestry, long time)
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
        foreach (var s in new[] { _selectImage, _insertImage })
        {
            s.Bind(1, key.Process);
            s.Bind(2, key.ParentImage);
            s.Bind(3, exe);
            s.Bind(4, argv);
            s.Bind(5, (int)key.Provenance);
            var found = s.Step();
            var id = found ? s.Int64(0) : 0;
            s.Reset();
            if (found)
            {
                return id;
            }
        }

        throw new InvalidOperationException("SQLite returned no id for a new image row.");
    }

    private long ArgvId(IReadOnlyList<string> argv) => SharedArgvOf(argv).Id;

    /// <summary>The list's text id and shared instance; an empty list is id 0, no row.</summary>
    private SharedArgv SharedArgvOf(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0)
        {
            return new SharedArgv(0, []);
        }

        if (_caches.Argvs.TryGet(argv, out var known))
        {
            return known;
        }

        var shared = new SharedArgv(TextId(ArgvJson.Write(argv)), argv);
        _caches.Argvs.Set(argv, shared);
        return shared;
    }

    private long TextId(string text, ref LastText last)
    {
        if (last.Id is { } known && string.Equals(text, last.Text, StringComparison.Ordinal))
        {
            return known;
        }

        var id = TextId(text);
        last = new LastText(text, id, string.Equals(text, last.Text, StringComparison.Ordinal) ? last.Shared : null);
        return id;
    }

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

        foreach (var s in new[] { _selectText, _insertText })
        {
            s.Bind(1, text);
            var found = s.Step();
            id = found ? s.Int64(0) : 0;
            s.Reset();
            if (found)
            {
                _caches.Texts.Set(text, id);
                return id;
            }
        }

        throw new InvalidOperationException("SQLite returned no id for a new text row.");
    }

    /// <summary>A statement of <paramref name="rows"/> rows of <paramref name="columns"/> parameters each, numbered ?1, ?2, ... in row order.</summary>
    private static RawStatement Rows(SqliteConnection c, string template, int columns, int rows)
    {
        var values = new StringBuilder(rows * columns * 6);
        for (var r = 0; r < rows; r++)
        {
            values.Append(r == 0 ? "(" : ", (");
            for (var col = 0; col < columns; col++)
            {
                values.Append(col == 0 ? "?" : ", ?").Append(((r * columns) + col + 1).ToString(CultureInfo.InvariantCulture));
            }

            values.Append(')');
        }

        return new RawStatement(c, string.Format(CultureInfo.InvariantCulture, template, values));
    }

    /// <summary>A column's last text, with its row id and its shared instance once either was asked for.</summary>
    private readonly record struct LastText(string? Text, long? Id, string? Shared);

    private readonly record struct PendingAncestor(Ancestor Ancestor, int Ppid, ProcessKey Parent, long First, long Last);
}
