namespace ExecDashboard.Web.Storage;

/// <summary>
/// The ids of the newest events this replica has taken into its live views, from its own ingest or
/// from another replica's, bounded (the oldest forgotten first). Both paths admit an event through
/// <see cref="AddNew"/>, so whichever comes first shows it and the other skips it: an event is in
/// the hot window and the analytics once. Thread-safe.
/// </summary>
internal sealed class RecentIds(int capacity)
{
    private readonly HashSet<long> _ids = new(capacity);
    private readonly Queue<long> _order = new(capacity);
    private readonly Lock _lock = new();

    private long _newest;

    /// <summary>The newest id taken so far (0 before any).</summary>
    public long Newest
    {
        get
        {
            lock (_lock)
            {
                return _newest;
            }
        }
    }

    /// <summary>Records the events' ids; returns those not recorded before, in order.</summary>
    public List<StoredExec> AddNew(IReadOnlyList<StoredExec> events)
    {
        var fresh = new List<StoredExec>(events.Count);
        lock (_lock)
        {
            foreach (var e in events)
            {
                if (!_ids.Add(e.Id))
                {
                    continue;
                }

                fresh.Add(e);
                _order.Enqueue(e.Id);
                _newest = Math.Max(_newest, e.Id);
                if (_order.Count > capacity)
                {
                    _ids.Remove(_order.Dequeue());
                }
            }
        }

        return fresh;
    }

    public bool Contains(long id)
    {
        lock (_lock)
        {
            return _ids.Contains(id);
        }
    }
}
