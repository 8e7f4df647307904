using System.Collections.Concurrent;
using ExecDashboard.Contracts;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Ingest;

/// <summary>
/// Tracks every collector's connection and counters. A collector is known by the id in its
/// batches; a connection that has not sent a batch yet is known by its connection id.
/// </summary>
public sealed class CollectorRegistry(ExecStore store, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, CollectorState> _byCollector = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _collectorByConnection = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _tokenByConnection = new(StringComparer.Ordinal);
    private long _rejectedWithoutId;

    public IReadOnlyList<CollectorState> Snapshot() =>
        [.. _byCollector.Values.OrderBy(c => c.Host, StringComparer.Ordinal).ThenBy(c => c.CollectorId, StringComparer.Ordinal)];

    public int ConnectedCount => _collectorByConnection.Count;

    /// <summary>Batches rejected before a collector id could be read from them.</summary>
    public long RejectedWithoutId => Interlocked.Read(ref _rejectedWithoutId);

    /// <param name="connectionId">The hub connection.</param>
    /// <param name="tokenName">The name of the token it opened with (its line in the tokens file).</param>
    public void Connected(string connectionId, string? tokenName = null)
    {
        _collectorByConnection[connectionId] = string.Empty;
        if (tokenName is not null)
        {
            _tokenByConnection[connectionId] = tokenName;
        }

        // A session records while a collector is connected, even before its first batch.
        store.EnsureActiveSession();
        store.Changed();
    }

    public void Disconnected(string connectionId)
    {
        _tokenByConnection.TryRemove(connectionId, out _);
        if (_collectorByConnection.TryRemove(connectionId, out var collectorId)
            && collectorId.Length > 0
            && _byCollector.TryGetValue(collectorId, out var state))
        {
            // The same collector may already be back on a new connection.
            _byCollector[collectorId] = state with { Connected = _collectorByConnection.Values.Contains(collectorId), LastSeen = time.GetUtcNow() };
        }

        if (_collectorByConnection.IsEmpty)
        {
            // A session records while a collector is connected.
            store.EndActiveSession();
        }

        store.Changed();
    }

    /// <summary>A batch was stored; <paramref name="notify"/> false when the store's own notice for it follows.</summary>
    public void Accepted(string connectionId, CollectorBatch batch, IngestResult result, bool notify = true)
    {
        Assign(connectionId, batch.CollectorId);
        var s = batch.Status;
        _byCollector.AddOrUpdate(batch.CollectorId,
            id => Apply(new CollectorState { CollectorId = id, Host = batch.Host, Connected = true, LastSeen = time.GetUtcNow() }),
            (_, old) => Apply(old));
        if (notify)
        {
            store.Changed();
        }

        CollectorState Apply(CollectorState old) => old with
        {
            Host = batch.Host,
            TokenName = _tokenByConnection.GetValueOrDefault(connectionId) ?? old.TokenName,
            Connected = true,
            LastSeen = time.GetUtcNow(),
            EventsPerSec = s.EventsPerSec,
            KernelLost = s.KernelLost,
            SerialGaps = s.SerialGaps,
            Malformed = s.Malformed,
            QueueDrops = s.QueueDrops,
            SpoolDrops = s.SpoolDrops,
            EventsStored = old.EventsStored + result.Stored,
            Duplicates = old.Duplicates + result.Duplicates,
            DurableBatchSeq = batch.BatchSeq,
        };
    }

    public void Rejected(string connectionId, string? collectorId, string? host, string reason)
    {
        if (string.IsNullOrEmpty(collectorId))
        {
            Interlocked.Increment(ref _rejectedWithoutId);
            store.Changed();
            return;
        }

        Assign(connectionId, collectorId);
        _byCollector.AddOrUpdate(collectorId,
            id => new CollectorState { CollectorId = id, Host = host ?? string.Empty, Connected = true, LastSeen = time.GetUtcNow(), BatchesRejected = 1, LastRejection = reason },
            (_, old) => old with { Connected = true, LastSeen = time.GetUtcNow(), BatchesRejected = old.BatchesRejected + 1, LastRejection = reason });
        store.Changed();
    }

    /// <summary>
    /// Names the collector behind a connection. A connection that switches ids (a batch under
    /// another id) leaves the previous id, which is then connected only if another connection holds it.
    /// </summary>
    private void Assign(string connectionId, string collectorId)
    {
        if (_collectorByConnection.TryGetValue(connectionId, out var previous)
            && previous.Length > 0
            && !string.Equals(previous, collectorId, StringComparison.Ordinal))
        {
            _collectorByConnection[connectionId] = collectorId;
            if (_byCollector.TryGetValue(previous, out var state))
            {
                _byCollector[previous] = state with { Connected = _collectorByConnection.Values.Contains(previous) };
            }

            return;
        }

        _collectorByConnection[connectionId] = collectorId;
    }
}
