using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Trees;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The one owner of exec data: SQLite for everything, a bounded in-memory hot window for the
/// live views, and throttled "something changed" notifications. Writes come only from the ingest
/// worker and imports; pages subscribe with <see cref="Subscribe"/> and then pull.
/// </summary>
public sealed class ExecStore : IDisposable
{
    private const string LiveOrigin = "live";
    private const string ImportOrigin = "import";

    private readonly SqliteEventStore _db;
    private readonly ProcessEnds _ends;
    private readonly HotWindow _hot;
    private readonly ChangeNotifier _changes;
    private readonly IExecAnalytics _analytics;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecStore> _logger;
    private readonly Lock _sessionLock = new();
    private SessionInfo? _active;
    private long _version;

    public ExecStore(IOptions<DashboardOptions> options, DashboardPaths paths, IExecAnalytics analytics, TimeProvider time, ILogger<ExecStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _analytics = analytics;
        _db = new SqliteEventStore(paths, time, options.Value.StoreCacheEntries);
        _ends = new ProcessEnds(_db);
        _hot = new HotWindow(options.Value.HotWindowCapacity);
        _changes = new ChangeNotifier(options.Value.NotifyInterval, time, logger);
        _logger = logger;
        foreach (var unfinished in _db.ReadUnfinishedImports())
        {
            // The dashboard stopped during this import: nothing of it may appear.
            _db.RemoveImport(unfinished);
            logger.LogWarning("Removed session {SessionId}, an import the dashboard stopped during.", unfinished);
        }

        _db.CloseOpenSessions();
        var recent = _db.ReadRecentLiveEvents(options.Value.HotWindowCapacity);
        _hot.AddRange(recent.Reverse().ToArray());
    }

    public string DatabasePath => _db.DatabasePath;

    /// <summary>Increases with every change; a view can skip a refresh when it has not moved.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The live session, or null while no collector has sent anything since it last ended.</summary>
    public SessionInfo? ActiveSession
    {
        get
        {
            lock (_sessionLock)
            {
                return _active;
            }
        }
    }

    /// <summary>
    /// Calls <paramref name="onChanged"/> (on the thread pool, at most ~10 times a second) after
    /// events, sessions or collectors change. Dispose the result in the component's Dispose.
    /// </summary>
    public IDisposable Subscribe(Func<Task> onChanged) => _changes.Subscribe(onChanged);

    /// <summary>Newest live events from memory, newest first. Cheap: call it on every notification.</summary>
    public IReadOnlyList<StoredExec> GetRecentEvents(ExecFilter filter, int max, long? beforeId = null) =>
        _hot.Newest(filter ?? ExecFilter.None, max, beforeId);

    /// <summary>Events from SQLite (any session, any age), newest first, paged by <paramref name="beforeId"/>.</summary>
    public Task<IReadOnlyList<StoredExec>> QueryEventsAsync(ExecFilter filter, int max, long? beforeId = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => _db.ReadEvents(filter ?? ExecFilter.None, max, beforeId), cancellationToken);

    public Task<ProcessInfo?> GetProcessAsync(ProcessKey key) => Task.Run(() => _ends.WithLifetime(_db.ReadProcess(key)));

    /// <summary>Chain from the process's parent to the root, nearest first.</summary>
    public Task<IReadOnlyList<ProcessInfo>> GetAncestryAsync(ProcessKey key, int maxDepth = 256) => Task.Run(() => _ends.WithLifetimes(_db.ReadAncestry(key, maxDepth)));

    /// <summary>Processes below <paramref name="key"/>, breadth first; each names its parent.</summary>
    public Task<IReadOnlyList<ProcessInfo>> GetDescendantsAsync(ProcessKey key, int maxDepth = 64, int max = 10_000) =>
        Task.Run(() => _ends.WithLifetimes(_db.ReadDescendants(key, maxDepth, max)));

    /// <summary>Running, ended or unknown, for each key (views that list execs mark failed runs with it).</summary>
    public Task<IReadOnlyDictionary<ProcessKey, ProcessLifetime>> GetLifetimesAsync(IReadOnlyCollection<ProcessKey> keys) =>
        Task.Run(() => _ends.Lifetimes(keys));

    /// <summary>Every stored end of a session's processes, by key.</summary>
    public Task<IReadOnlyDictionary<ProcessKey, ProcessEnd>> GetSessionEndsAsync(long sessionId) =>
        Task.Run(() => _ends.ForSession(sessionId));

    /// <summary>
    /// The descendant graph of <paramref name="root"/> as the process view draws it (repeated
    /// children collapsed), built from the stored execs below it, at most <paramref name="maxEvents"/> newest.
    /// </summary>
    public Task<ProcessGraph> GetDescendantGraphAsync(ProcessKey root, int maxEvents = 100_000, DescendantTreeOptions? options = null) =>
        Task.Run(() =>
        {
            var events = _db.ReadEvents(new ExecFilter { DescendantOf = root }, maxEvents, beforeId: null);
            return DescendantTreeBuilder.Build(events.Reverse().Select(e => e.Event), root, options);
        });

    public Task<IReadOnlyList<ProcessInfo>> FindProcessesAsync(int? pid, string? exe, long? sessionId, int max = 500) =>
        Task.Run(() => _ends.WithLifetimes(_db.FindProcesses(pid, exe, sessionId, max)));

    /// <summary>Live per-parent exec rates, storms and children-per-invocation (the domain's analytics).</summary>
    public IExecAnalytics Analytics => _analytics;

    public IReadOnlyList<ParentRate> GetTopParents(TimeSpan window, int top) => _analytics.TopParents(window, top);

    public Task<IReadOnlyList<SessionInfo>> GetSessionsAsync() => Task.Run(_db.ReadSessions);

    public Task<SessionInfo?> GetSessionAsync(long id) => Task.Run(() => _db.ReadSession(id));

    public Task<IReadOnlyList<GapInfo>> GetGapsAsync(long sessionId) => Task.Run(() => _db.ReadGaps(sessionId));

    public IAsyncEnumerable<StoredExec> StreamSessionEventsAsync(long sessionId, CancellationToken cancellationToken) =>
        _db.StreamSessionEvents(sessionId, cancellationToken);

    /// <summary>The processes a session's events name (as exec'ing process or parent), read lazily.</summary>
    public IAsyncEnumerable<SessionProcess> StreamSessionProcessesAsync(long sessionId, CancellationToken cancellationToken) =>
        _db.StreamSessionProcesses(sessionId, cancellationToken);

    public Task<long> CountEventsAsync() => Task.Run(_db.CountEvents);

    public async Task<bool> RenameSessionAsync(long id, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var renamed = await Task.Run(() => _db.RenameSession(id, name.Trim()));
        lock (_sessionLock)
        {
            if (_active?.Id == id)
            {
                _active = _active with { Name = name.Trim() };
            }
        }

        Changed();
        return renamed;
    }

    /// <summary>Deletes a session; the live one cannot be deleted while it records.</summary>
    public async Task<SessionDeletion> DeleteSessionAsync(long id)
    {
        lock (_sessionLock)
        {
            if (_active?.Id == id)
            {
                return SessionDeletion.Active;
            }
        }

        if (!await Task.Run(() => _db.DeleteSession(id)))
        {
            return SessionDeletion.NotFound;
        }

        _hot.RemoveSession(id);
        Changed();
        return SessionDeletion.Deleted;
    }

    /// <summary>
    /// Stores one collector batch in one transaction (into the live session, opened if needed),
    /// records growth of its loss counters as a gap, and returns once it is committed. Process ends
    /// go in the same transaction.
    /// </summary>
    internal IngestResult AppendCollectorBatch(string collectorId, string host, long batchSeq, long serialGaps, long kernelLost, IReadOnlyList<ExecEvent> events, IReadOnlyList<ProcessEnd>? ends = null)
    {
        var now = _time.GetUtcNow();
        var (sessionId, stored) = _db.Write((c, t) =>
        {
            long sessionId;
            lock (_sessionLock)
            {
                _active ??= _db.CreateSession(c, t, LiveName(now), host, LiveOrigin, now);
                if (_active.Host.Length == 0 && host.Length > 0)
                {
                    _db.DescribeSession(c, t, _active.Id, _active.Name, host);
                    _active = _active with { Host = host };
                }

                sessionId = _active.Id;
            }

            var previous = _db.ReadCollectorCounters(c, t, collectorId);
            var newGaps = serialGaps - (previous?.SerialGaps ?? 0);
            var newLost = kernelLost - (previous?.KernelLost ?? 0);
            if (newGaps > 0 || newLost > 0)
            {
                _db.InsertGap(c, t, new GapInfo(sessionId, collectorId, now, Math.Max(newGaps, 0), Math.Max(newLost, 0)));
            }

            using var writer = _db.Writer(c);
            var inserted = writer.Insert(sessionId, origin: 0, events);
            _ends.Insert(c, t, sessionId, ends ?? []);
            _db.RecordCollector(c, t, collectorId, host, batchSeq, Math.Max(serialGaps, previous?.SerialGaps ?? 0), Math.Max(kernelLost, previous?.KernelLost ?? 0), now);
            return (sessionId, inserted);
        });

        if (stored.Count > 0)
        {
            _hot.AddRange(stored);
            _analytics.Observe(stored.Select(s => s.Event).ToArray());
        }

        Changed();
        return new IngestResult(sessionId, stored.Count, events.Count - stored.Count);
    }

    /// <summary>Opens the live session if none records: a collector connected.</summary>
    internal void EnsureActiveSession()
    {
        var now = _time.GetUtcNow();
        var opened = _db.Write((c, t) =>
        {
            lock (_sessionLock)
            {
                if (_active is not null)
                {
                    return false;
                }

                _active = _db.CreateSession(c, t, LiveName(now), string.Empty, LiveOrigin, now);
                return true;
            }
        });

        if (opened)
        {
            Changed();
        }
    }

    private static string LiveName(DateTimeOffset now) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Live {now:yyyy-MM-dd HH:mm}");

    /// <summary>Ends the live session (the last collector left); the next batch opens a new one.</summary>
    internal void EndActiveSession()
    {
        SessionInfo? ending;
        lock (_sessionLock)
        {
            ending = _active;
            _active = null;
        }

        if (ending is not null)
        {
            var now = _time.GetUtcNow();
            _db.Write((c, t) =>
            {
                _db.EndSession(c, t, ending.Id, now);
                return 0;
            });
            Changed();
        }
    }

    /// <summary>
    /// Stores an imported recording (session-format items, read lazily) as a new session, all or
    /// nothing for every reader: it is written in bounded chunks (<see cref="ImportChunk"/>) so live
    /// batches interleave, stays hidden until its last chunk commits, and if reading
    /// <paramref name="items"/> throws, everything it wrote is removed before the exception goes on.
    /// </summary>
    internal SessionInfo Import(string? name, IEnumerable<SessionItem> items)
    {
        var now = _time.GetUtcNow();
        var session = _db.Write((c, t) => _db.CreateSession(c, t, name ?? ImportName(now), string.Empty, ImportOrigin, now, importing: true));
        try
        {
            var chunk = new ImportChunk(_db, _time, session.Id);
            SessionHeader? header = null;
            DateTimeOffset? first = null, last = null;
            foreach (var item in items)
            {
                switch (item)
                {
                    case SessionHeaderItem h:
                        header = h.Header;
                        continue;
                    case SessionEventItem e:
                        first = first is null || e.Event.Exec.Time < first ? e.Event.Exec.Time : first;
                        last = last is null || e.Event.Exec.Time > last ? e.Event.Exec.Time : last;
                        break;
                }

                chunk.Add(item);
                if (chunk.IsFull)
                {
                    chunk.Write();
                }
            }

            var begin = header?.Start ?? first ?? session.Started;
            var finish = header?.End ?? last ?? begin;
            var finished = session with { Name = name ?? header?.Name ?? session.Name, Host = header?.Host ?? string.Empty };
            chunk.Write((c, t) =>
            {
                _db.DescribeSession(c, t, session.Id, finished.Name, finished.Host);
                _db.FinishImport(c, t, session.Id, begin, finish);
            });
            Changed();
            return finished with { EventCount = chunk.Stored, Started = begin, Ended = finish };
        }
        catch
        {
            RemoveImport(session.Id);
            throw;
        }
    }

    private static string ImportName(DateTimeOffset now) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Import {now:yyyy-MM-dd HH:mm}");

    /// <summary>Removes what a failed import wrote; if that fails too, the next start finishes it.</summary>
    private void RemoveImport(long sessionId)
    {
        try
        {
            _db.RemoveImport(sessionId);
        }
        catch (SqliteException ex)
        {
            // The import's own error is the one to report; the session stays hidden and marked.
            _logger.LogError(ex, "Could not remove the failed import of session {SessionId}; the next start removes it.", sessionId);
        }
    }

    /// <summary>For state that lives outside the store but shares its notifications (collectors).</summary>
    internal void Changed()
    {
        Interlocked.Increment(ref _version);
        _changes.Notify();
    }

    public void Dispose() => _db.Dispose();
}
