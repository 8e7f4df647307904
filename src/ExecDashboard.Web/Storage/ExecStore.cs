using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Trees;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The one owner of exec data: a store engine (SQLite or PostgreSQL, <see cref="IStoreEngine"/>) for
/// everything, a bounded in-memory hot window for the live views, and throttled "something
/// changed" notifications. Writes come only from the ingest
/// worker and imports; pages subscribe with <see cref="Subscribe"/> and then pull.
/// </summary>
public sealed class ExecStore : IDisposable
{
    private const string LiveOrigin = "live";
    private const string ImportOrigin = "import";

    /// <summary>Items of an import per engine call: bounded, so live batches interleave with an import.</summary>
    private const int ImportItemsPerChunk = ImportChunk.MaxItems;

    private readonly IStoreEngine _db;
    private readonly ProcessEnds _ends;
    private readonly HotWindow _hot;
    private readonly RecentIds _seen;
    private readonly ChangeNotifier _changes;
    private readonly IExecAnalytics _analytics;
    private readonly TimeProvider _time;
    private readonly ILogger<ExecStore> _logger;
    private readonly Lock _sessionLock = new();
    private SessionInfo? _active;
    private long _version;

    public ExecStore(IStoreEngine engine, IOptions<DashboardOptions> options, IExecAnalytics analytics, TimeProvider time, ILogger<ExecStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _time = time;
        _analytics = analytics;
        _db = engine;
        _ends = new ProcessEnds(engine);
        _hot = new HotWindow(options.Value.HotWindowCapacity);
        _seen = new RecentIds(options.Value.HotWindowCapacity + ReplicaCatchUp.Overlap);
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
        _hot.AddRange(_seen.AddNew(recent.Reverse().ToArray()));

        // A full window left older live events in the database: a catch-up must not bring them in.
        ReplicationFloor = recent.Count == options.Value.HotWindowCapacity && recent.Count > 0 ? recent[^1].Id : 0;
    }

    /// <summary>The newest event id in the live views (this replica's or another's); 0 before any.</summary>
    internal long NewestLiveId => _seen.Newest;

    /// <summary>True when the event with this id is in the live views already.</summary>
    internal bool HasSeen(long id) => _seen.Contains(id);

    /// <summary>Live events at or below this id were in the database before this dashboard started and not loaded.</summary>
    internal long ReplicationFloor { get; }

    /// <summary>The engine's name as <c>Dashboard:Store</c> spells it.</summary>
    public string Engine => _db.Name;

    /// <summary>The schema version of the engine's database.</summary>
    public int SchemaVersion => _db.SchemaVersion;

    /// <summary>True when <paramref name="error"/> means the database is away for now and the same work will succeed later.</summary>
    public bool IsTransient(Exception error) => _db.IsTransient(error);

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
    /// Calls <paramref name="onChanged"/> (on the thread pool, at most once per <c>NotifyInterval</c>) after
    /// events, sessions or collectors change. Dispose the result in the component's Dispose.
    /// </summary>
    public IDisposable Subscribe(Func<Task> onChanged) => _changes.Subscribe(onChanged);

    /// <summary>Newest live events from memory, newest first. Cheap: call it on every notification.</summary>
    public IReadOnlyList<StoredExec> GetRecentEvents(ExecFilter filter, int max, long? beforeId = null) =>
        _hot.Newest(filter ?? ExecFilter.None, max, beforeId);

    /// <summary>Events from the database (any session, any age), newest first, paged by <paramref name="beforeId"/>.</summary>
    public Task<IReadOnlyList<StoredExec>> QueryEventsAsync(ExecFilter filter, int max, long? beforeId = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => _db.ReadEvents(filter ?? ExecFilter.None, max, beforeId), cancellationToken);

    /// <summary>
    /// The host facet: execs per host in the live hot window (<paramref name="sessionId"/> null)
    /// or in a stored session.
    /// </summary>
    public Task<IReadOnlyList<HostCount>> GetHostCountsAsync(long? sessionId) =>
        sessionId is { } id ? Task.Run(() => _db.ReadHostCounts(id)) : Task.FromResult(_hot.CountByHost());

    /// <summary>The sessions holding execs of <paramref name="host"/>: a host's sessions, when a view is narrowed to it.</summary>
    public Task<IReadOnlySet<long>> GetSessionIdsWithHostAsync(string host) => Task.Run(() => _db.ReadSessionIdsWithHost(host));

    public Task<ProcessInfo?> GetProcessAsync(ProcessKey key) => Task.Run(() => _ends.WithLifetime(_db.ReadProcess(key)));

    /// <summary>Chain from the process's parent to the root, nearest first.</summary>
    public Task<IReadOnlyList<ProcessInfo>> GetAncestryAsync(ProcessKey key, int maxDepth = 256) => Task.Run(() => _ends.WithLifetimes(_db.ReadAncestry(key, maxDepth)));

    /// <summary>Processes below <paramref name="key"/>, breadth first; each names its parent.</summary>
    public Task<IReadOnlyList<ProcessInfo>> GetDescendantsAsync(ProcessKey key, int maxDepth = 64, int max = 10_000) =>
        Task.Run(() => _ends.WithLifetimes(_db.ReadDescendants(key, maxDepth, max)));

    /// <summary>
    /// Running, ended or unknown, for each key (views that list execs mark failed runs with it).
    /// Ends held by the hot window answer without a query: the live feed asks for hundreds of keys
    /// on every refresh, up to 20 times a second per open page in a storm.
    /// </summary>
    public Task<IReadOnlyDictionary<ProcessKey, ProcessLifetime>> GetLifetimesAsync(IReadOnlyCollection<ProcessKey> keys)
    {
        var found = new Dictionary<ProcessKey, ProcessLifetime>(keys.Count);
        var rest = _hot.AddKnownLifetimes(keys, found);
        if (rest.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<ProcessKey, ProcessLifetime>>(found);
        }

        return Task.Run<IReadOnlyDictionary<ProcessKey, ProcessLifetime>>(() =>
        {
            foreach (var (key, lifetime) in _ends.Lifetimes(rest))
            {
                found[key] = lifetime;
            }

            return found;
        });
    }

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

    /// <summary>A session's events, processes and ends as the engine reads them for an export (<see cref="IStoreEngine.ExportSession"/>).</summary>
    public SessionExport ExportSession(long sessionId) => _db.ExportSession(sessionId);

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
    /// records growth of its loss counters as a gap, and returns once it is committed and shown
    /// (<see cref="ShowCommitted"/>). Process ends go in the same transaction.
    /// </summary>
    internal IngestResult AppendCollectorBatch(string collectorId, string host, long batchSeq, long serialGaps, long kernelLost, IReadOnlyList<ExecEvent> events, IReadOnlyList<ProcessEnd>? ends = null, Action<IngestResult>? beforeNotice = null) =>
        ShowCommitted(CommitCollectorBatch(collectorId, host, batchSeq, serialGaps, kernelLost, events, ends), beforeNotice);

    /// <summary>
    /// The first half of <see cref="AppendCollectorBatch"/>: the batch stored and committed, not yet
    /// in the live views. The ingest worker shows it on another thread while it commits the next.
    /// </summary>
    internal CommittedBatch CommitCollectorBatch(string collectorId, string host, long batchSeq, long serialGaps, long kernelLost, IReadOnlyList<ExecEvent> events, IReadOnlyList<ProcessEnd>? ends = null)
    {
        var now = _time.GetUtcNow();
        long sessionId;
        lock (_sessionLock)
        {
            _active ??= _db.CreateSession(LiveName(now), host, LiveOrigin, now);
            if (_active.Host.Length == 0 && host.Length > 0)
            {
                _db.DescribeSession(_active.Id, _active.Name, host);
                _active = _active with { Host = host };
            }

            sessionId = _active.Id;
        }

        var stored = _db.StoreCollectorBatch(new CollectorBatchWrite(sessionId, collectorId, host, batchSeq, serialGaps, kernelLost, now, events, ends ?? []));
        return new CommittedBatch(sessionId, events.Count, stored, ends ?? []);
    }

    /// <summary>
    /// The second half: a committed batch enters the hot window and the analytics, then
    /// <paramref name="beforeNotice"/> runs and one change notice goes out. Batches are shown in
    /// the order they were committed.
    /// </summary>
    internal IngestResult ShowCommitted(CommittedBatch batch, Action<IngestResult>? beforeNotice = null)
    {
        ArgumentNullException.ThrowIfNull(batch);
        _hot.AddEnds(batch.Ends);
        Admit(batch.Stored);

        var result = new IngestResult(batch.SessionId, batch.Stored.Count, batch.Offered - batch.Stored.Count);
        beforeNotice?.Invoke(result);
        Changed();
        return result;
    }

    /// <summary>
    /// Live events another replica committed (see "Running a fleet"): they enter the hot window,
    /// the analytics and the change notifications as this replica's own do. Returns how many were new.
    /// </summary>
    internal int AdmitReplicated(IReadOnlyList<StoredExec> events)
    {
        var admitted = Admit(events);
        if (admitted > 0)
        {
            Changed();
        }

        return admitted;
    }

    /// <summary>Takes events into the live views once, whether they came from this replica's ingest or another's.</summary>
    private int Admit(IReadOnlyList<StoredExec> stored)
    {
        if (stored.Count == 0)
        {
            return 0;
        }

        var fresh = _seen.AddNew(stored);
        if (fresh.Count > 0)
        {
            _hot.AddRange(fresh);
            _analytics.Observe(fresh.Select(s => s.Event).ToArray());
        }

        return fresh.Count;
    }

    /// <summary>Opens the live session if none records: a collector connected.</summary>
    internal void EnsureActiveSession()
    {
        var now = _time.GetUtcNow();
        lock (_sessionLock)
        {
            if (_active is not null)
            {
                return;
            }

            _active = _db.CreateSession(LiveName(now), string.Empty, LiveOrigin, now);
        }

        Changed();
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
            _db.EndSession(ending.Id, now);
            Changed();
        }
    }

    /// <summary>
    /// Stores an imported recording (session-format items, read lazily) as a new session, all or
    /// nothing for every reader: it is written in bounded chunks so live
    /// batches interleave, stays hidden until its last chunk commits, and if reading
    /// <paramref name="items"/> throws, everything it wrote is removed before the exception goes on.
    /// </summary>
    internal SessionInfo Import(string? name, IEnumerable<SessionItem> items)
    {
        var now = _time.GetUtcNow();
        var session = _db.CreateSession(name ?? ImportName(now), string.Empty, ImportOrigin, now, importing: true);
        try
        {
            var chunk = new List<SessionItem>(ImportItemsPerChunk);
            long stored = 0;
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
                if (chunk.Count >= ImportItemsPerChunk)
                {
                    stored += _db.AppendImportChunk(session.Id, chunk);
                    chunk.Clear();
                }
            }

            if (chunk.Count > 0)
            {
                stored += _db.AppendImportChunk(session.Id, chunk);
            }

            var begin = header?.Start ?? first ?? session.Started;
            var finish = header?.End ?? last ?? begin;
            var finished = session with { Name = name ?? header?.Name ?? session.Name, Host = header?.Host ?? string.Empty };
            _db.FinishImport(session.Id, finished.Name, finished.Host, begin, finish);
            Changed();
            return finished with { EventCount = stored, Started = begin, Ended = finish };
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
#pragma warning disable CA1031 // Logged; the import's own error is the one rethrown to the caller.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            // The import's own error is the one to report; the session stays hidden and marked.
            _logger.LogError(ex, "Could not remove the failed import of session {SessionId}; the next start removes it.", sessionId);
        }
    }

    /// <summary>
    /// Removes events older than <paramref name="days"/> days and the sessions left empty by that
    /// (see <see cref="IStoreEngine.RemoveOlderThan"/>); the hot window forgets them too.
    /// </summary>
    public RetentionResult ApplyRetention(int days)
    {
        var cutoff = _time.GetUtcNow().AddDays(-days);
        var result = _db.RemoveOlderThan(cutoff);
        if (result.Events > 0 || result.Sessions > 0)
        {
            _hot.RemoveOlderThan(cutoff);
            Changed();
        }

        return result;
    }

    /// <summary>For state that lives outside the store but shares its notifications (collectors).</summary>
    internal void Changed()
    {
        Interlocked.Increment(ref _version);
        _changes.Notify();
    }

    public void Dispose() => _db.Dispose();
}
