using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The items of one import between two transactions: gathered outside the write lock (the
/// read-ahead thread may still be parsing), then written in order. A transaction ends after
/// <see cref="MaxItems"/> items or once it has run for <see cref="Budget"/>, whichever comes
/// first, and waits behind any writer already queued, so a live batch waits for at most one
/// chunk, never for a whole import (a 250,000-exec raw log takes seconds).
/// </summary>
internal sealed class ImportChunk(SqliteEventStore db, TimeProvider time, long sessionId)
{
    /// <summary>
    /// Items per chunk. SQLite pays per transaction (the commit, the WAL pages the tail of every
    /// table and index leave dirty, and their checkpoint), so an import's transactions are as big
    /// as a live batch can afford to wait for: measured at roughly 150 to 300 ms of SQLite work for
    /// raw-log execs on two busy cores. Not bigger, because the import reads two chunks ahead and
    /// every item in flight outlives the young generation: with 8,192 a 300,000-exec raw log was
    /// stored no faster than with 4,096 (deploy/bench-store.sh) and the dashboard's RSS peaked
    /// higher.
    /// </summary>
    public const int MaxItems = 4096;

    /// <summary>Events per insert call; the budget is checked between calls.</summary>
    private const int EventsPerInsert = 512;

    /// <summary>
    /// Caps a chunk whose items are slow to write (a slow disk, a busy machine, big arguments):
    /// one chunk is all a live batch may wait for. A budget of 100 ms cut imports into
    /// transactions of 512 events on a loaded machine, which cost more than the wait they saved.
    /// </summary>
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(250);

    private readonly List<SessionItem> _items = new(MaxItems);

    /// <summary>Events stored so far (a duplicate within the import is stored once).</summary>
    public long Stored { get; private set; }

    public bool IsFull => _items.Count >= MaxItems;

    /// <summary>An event, process, gap or process end; the session header is the caller's to apply at the end.</summary>
    public void Add(SessionItem item) => _items.Add(item);

    /// <summary>
    /// Writes every gathered item in as many transactions as the budget asks for; <paramref name="last"/>
    /// runs inside the transaction that writes the final item (or alone when nothing is gathered).
    /// </summary>
    public void Write(Action<SqliteConnection, SqliteTransaction>? last = null)
    {
        var next = 0;
        do
        {
            next = db.Write(
                (c, t) =>
                {
                    var end = WriteFrom(c, t, next);
                    if (end == _items.Count)
                    {
                        last?.Invoke(c, t);
                    }

                    return end;
                },
                afterWaitingWriters: true);
        }
        while (next < _items.Count);

        _items.Clear();
    }

    /// <summary>Writes items from <paramref name="from"/> until the end or the budget; returns where it stopped.</summary>
    private int WriteFrom(SqliteConnection c, SqliteTransaction t, int from)
    {
        var started = time.GetTimestamp();
        var writer = db.Writer(c);
        var events = new List<ExecEvent>(EventsPerInsert);
        var ends = new List<ProcessEnd>();

        void Flush()
        {
            if (events.Count > 0)
            {
                // Only counted: an import's events are not kept in memory.
                Stored += writer.InsertCounted(sessionId, origin: sessionId, events);
                events.Clear();
            }

            if (ends.Count > 0)
            {
                // Keyed by the process key like a collector's: an end the store already has (the
                // live session this export came from) stays as it is.
                ProcessEndRows.Insert(c, t, sessionId, ends);
                ends.Clear();
            }
        }

        var i = from;
        while (i < _items.Count)
        {
            switch (_items[i++])
            {
                case SessionEventItem e:
                    events.Add(e.Event);
                    if (events.Count == EventsPerInsert)
                    {
                        Flush();
                    }

                    break;
                case SessionProcessItem p:
                    Flush();
                    var sp = p.Process;
                    writer.MergeProcess(sp.Key, sp.Ppid, ProcessKey.None, sp.Exe, sp.Argv, sp.Provenance, sp.FirstSeen, sp.LastSeen);
                    break;
                case SessionExitItem x:
                    ends.Add(x.End);
                    if (ends.Count == EventsPerInsert)
                    {
                        Flush();
                    }

                    break;
                case SessionGapItem g:
                    Flush();
                    db.InsertGap(c, t, new GapInfo(
                        sessionId,
                        g.Gap.Host,
                        g.Gap.Time,
                        g.Gap.Kind == SessionGapKind.SerialGap ? g.Gap.Count : 0,
                        g.Gap.Kind == SessionGapKind.KernelLost ? g.Gap.Count : 0));
                    break;
            }

            if (events.Count == 0 && ends.Count == 0 && time.GetElapsedTime(started) >= Budget)
            {
                break;
            }
        }

        Flush();
        return i;
    }
}
