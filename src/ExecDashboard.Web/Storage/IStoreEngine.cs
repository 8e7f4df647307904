using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The seam between <see cref="ExecStore"/> and a database: every operation is whole (one
/// transaction, or a documented series of them), so nothing above it sees a connection. Two
/// engines: <see cref="SqliteEventStore"/> (a file beside the dashboard, the default) and
/// <see cref="Postgres.PostgresEventStore"/> (a server, <c>--Dashboard:Store=postgres</c>).
/// Both pass the same contract tests, so what a page shows does not depend on the engine.
/// </summary>
public interface IStoreEngine : IDisposable
{
    /// <summary>The engine's name as <c>Dashboard:Store</c> spells it (<see cref="StoreEngines"/>).</summary>
    string Name { get; }

    /// <summary>The schema version this engine's database is at (after its migrations ran).</summary>
    int SchemaVersion { get; }

    /// <summary>
    /// Stores a validated collector batch in one transaction: events not already stored (the
    /// identity of a re-sent batch, from this or another dashboard, is stored once), growth of the
    /// collector's loss counters as a gap, and the collector's counters. Returns the newly stored
    /// events with their ids, in order.
    /// </summary>
    IReadOnlyList<StoredExec> StoreCollectorBatch(CollectorBatchWrite batch);

    /// <summary>
    /// Opens a session. An <paramref name="importing"/> one stays hidden from every read until
    /// <see cref="FinishImport"/> commits.
    /// </summary>
    SessionInfo CreateSession(string name, string host, string origin, DateTimeOffset started, bool importing = false);

    void DescribeSession(long id, string name, string host);

    void EndSession(long id, DateTimeOffset ended);

    /// <summary>Sessions left open by a crash end at their last event (or their start).</summary>
    void CloseOpenSessions();

    bool RenameSession(long id, string name);

    /// <summary>Deletes a visible session with its events and gaps; processes stay (other sessions share them).</summary>
    bool DeleteSession(long id);

    /// <summary>
    /// Writes one bounded chunk of an import (events, processes, gaps in order) into its hidden
    /// session; may commit in several short transactions so live batches interleave. Returns the
    /// events newly stored (a duplicate within the import is stored once).
    /// </summary>
    long AppendImportChunk(long sessionId, IReadOnlyList<SessionItem> items);

    /// <summary>The import's last transaction: name, host and span are set and the session becomes visible.</summary>
    void FinishImport(long id, string name, string host, DateTimeOffset started, DateTimeOffset ended);

    /// <summary>Removes an import that did not finish with everything it wrote; the session row goes last.</summary>
    void RemoveImport(long id);

    /// <summary>Sessions still marked as importing: at start, what a dashboard killed mid-import left.</summary>
    IReadOnlyList<long> ReadUnfinishedImports();

    IReadOnlyList<SessionInfo> ReadSessions();

    SessionInfo? ReadSession(long id);

    /// <summary>Events matching <paramref name="filter"/>, newest first, with ids below <paramref name="beforeId"/>.</summary>
    IReadOnlyList<StoredExec> ReadEvents(ExecFilter filter, int max, long? beforeId);

    /// <summary>The ends stored for any of <paramref name="keys"/> (an end may be stored before or without its process).</summary>
    IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadEnds(IReadOnlyCollection<ProcessKey> keys);

    /// <summary>Every end of the processes a session's events name, by key (trace export, timelines).</summary>
    IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadSessionEnds(long sessionId);

    /// <summary>True when some process of this boot has a stored end: its source reports exits.</summary>
    bool BootReportsEnds(string boot);

    /// <summary>How many visible events each host has, in one session or in all, most first (the host facet).</summary>
    IReadOnlyList<HostCount> ReadHostCounts(long? sessionId);

    /// <summary>The sessions with at least one visible event of <paramref name="host"/>.</summary>
    IReadOnlySet<long> ReadSessionIdsWithHost(string host);

    /// <summary>The newest events collected live (not imported), newest first: the hot window after a restart.</summary>
    IReadOnlyList<StoredExec> ReadRecentLiveEvents(int max);

    /// <summary>Every event of a session in arrival order, read lazily for streamed exports.</summary>
    IAsyncEnumerable<StoredExec> StreamSessionEvents(long sessionId, CancellationToken cancellationToken);

    /// <summary>The processes a session's events name (as exec'ing process or parent), oldest first.</summary>
    IAsyncEnumerable<SessionProcess> StreamSessionProcesses(long sessionId, CancellationToken cancellationToken);

    /// <summary>
    /// A session's export, read lazily: <see cref="StreamSessionEvents"/> and <see cref="StreamSessionProcesses"/>
    /// as the JSON the contract's serializer writes for them (<see cref="SessionJsonArrays"/>), which
    /// an engine may write straight from its rows (SQLite does), and <see cref="ReadSessionEnds"/>.
    /// </summary>
    SessionExport ExportSession(long sessionId);

    IReadOnlyList<GapInfo> ReadGaps(long sessionId);

    ProcessInfo? ReadProcess(ProcessKey key);

    /// <summary>The chain from the process's parent up to the root, nearest first.</summary>
    IReadOnlyList<ProcessInfo> ReadAncestry(ProcessKey key, int maxDepth);

    /// <summary>Every process below <paramref name="key"/>, breadth first, at most <paramref name="max"/>.</summary>
    IReadOnlyList<ProcessInfo> ReadDescendants(ProcessKey key, int maxDepth, int max);

    IReadOnlyList<ProcessInfo> FindProcesses(int? pid, string? exe, long? sessionId, int max);

    long CountEvents();

    /// <summary>
    /// Removes events older than <paramref name="cutoff"/>, and the sessions (with their gaps) that
    /// ended before it and kept no event. Sessions being imported are left alone.
    /// </summary>
    RetentionResult RemoveOlderThan(DateTimeOffset cutoff);

    /// <summary>
    /// True when <paramref name="error"/> means the database is unreachable for now (a server
    /// restarting, a dropped connection): the same work succeeds once it is back.
    /// </summary>
    bool IsTransient(Exception error);
}

/// <summary>
/// One validated collector batch as the store writes it into <paramref name="SessionId"/>: its
/// execs and the process ends cut with them, stored in the same transaction, each once.
/// </summary>
public sealed record CollectorBatchWrite(
    long SessionId,
    string CollectorId,
    string Host,
    long BatchSeq,
    long SerialGaps,
    long KernelLost,
    DateTimeOffset Now,
    IReadOnlyList<Domain.Events.ExecEvent> Events,
    IReadOnlyList<ProcessEnd> Ends);

/// <summary>What one retention pass removed.</summary>
public sealed record RetentionResult(long Events, long Sessions);
