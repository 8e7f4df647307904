using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The most recent live events in memory, a fixed-size circular buffer, and the ends of the
/// processes ingested with them (as many as events at most): the live views read here, never
/// SQLite, so the feed stays fast under an exec storm. Thread-safe.
/// </summary>
internal sealed class HotWindow(int capacity)
{
    private readonly StoredExec[] _items = new StoredExec[capacity];
    private readonly RecentEnds _ends = new(capacity);
    private readonly Lock _lock = new();
    private int _next;
    private int _count;

    public int Capacity => _items.Length;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    public void AddRange(IReadOnlyList<StoredExec> events)
    {
        lock (_lock)
        {
            foreach (var e in events)
            {
                _items[_next] = e;
                _next = (_next + 1) % _items.Length;
                _count = Math.Min(_count + 1, _items.Length);
            }
        }
    }

    /// <summary>Keeps the ends of a committed batch; the oldest are forgotten past the capacity.</summary>
    public void AddEnds(IReadOnlyList<ProcessEnd> ends)
    {
        lock (_lock)
        {
            foreach (var end in ends)
            {
                _ends.Add(end);
            }
        }
    }

    /// <summary>
    /// The lifetimes of <paramref name="keys"/> whose end is held, added to <paramref name="found"/>;
    /// returns the keys that are not. A missing end does not mean "still running": it may be older
    /// than what is held, or ingested by another replica, so those are the database's to answer.
    /// </summary>
    public List<ProcessKey> AddKnownLifetimes(IReadOnlyCollection<ProcessKey> keys, Dictionary<ProcessKey, ProcessLifetime> found)
    {
        var rest = new List<ProcessKey>();
        lock (_lock)
        {
            foreach (var key in keys)
            {
                if (_ends.TryGet(key, out var end))
                {
                    found[key] = ProcessLifetime.Ended(end);
                }
                else
                {
                    rest.Add(key);
                }
            }
        }

        return rest;
    }

    /// <summary>Removes every event of a deleted session, and every held end (they carry no session; the database still has the others').</summary>
    public void RemoveSession(long sessionId)
    {
        RemoveWhere(e => e.SessionId == sessionId);
        lock (_lock)
        {
            _ends.RemoveWhere(_ => true);
        }
    }

    /// <summary>Removes the events and ends retention removed from the database.</summary>
    public void RemoveOlderThan(DateTimeOffset cutoff)
    {
        RemoveWhere(e => e.Event.Exec.Time < cutoff);
        lock (_lock)
        {
            _ends.RemoveWhere(end => end.Time < cutoff);
        }
    }

    private void RemoveWhere(Func<StoredExec, bool> removed)
    {
        lock (_lock)
        {
            var kept = Snapshot().Where(e => !removed(e)).Reverse().ToArray();
            Array.Clear(_items);
            _next = 0;
            _count = 0;
            foreach (var e in kept)
            {
                _items[_next++] = e;
                _count++;
            }

            _next %= _items.Length;
        }
    }

    /// <summary>Up to <paramref name="max"/> matching events, newest first, with ids below <paramref name="beforeId"/>.</summary>
    public List<StoredExec> Newest(ExecFilter filter, int max, long? beforeId = null)
    {
        var result = new List<StoredExec>(Math.Min(max, 1024));
        lock (_lock)
        {
            for (var i = 0; i < _count && result.Count < max; i++)
            {
                var e = _items[(_next - 1 - i + _items.Length) % _items.Length];
                if ((beforeId is null || e.Id < beforeId) && filter.Matches(e))
                {
                    result.Add(e);
                }
            }
        }

        return result;
    }

    /// <summary>How many of the held events each host has, most first.</summary>
    public IReadOnlyList<HostCount> CountByHost()
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_lock)
        {
            for (var i = 0; i < _count; i++)
            {
                var host = _items[i].Event.Exec.Host;
                counts[host] = counts.GetValueOrDefault(host) + 1;
            }
        }

        return [.. counts.Select(c => new HostCount(c.Key, c.Value)).OrderByDescending(c => c.Execs).ThenBy(c => c.Host, StringComparer.Ordinal)];
    }

    /// <summary>Oldest id held, or null when empty: older events must come from SQLite.</summary>
    public long? OldestId
    {
        get
        {
            lock (_lock)
            {
                return _count == 0 ? null : _items[(_next - _count + _items.Length) % _items.Length].Id;
            }
        }
    }

    private List<StoredExec> Snapshot()
    {
        var all = new List<StoredExec>(_count);
        for (var i = 0; i < _count; i++)
        {
            all.Add(_items[(_next - 1 - i + _items.Length) % _items.Length]);
        }

        return all;
    }
}
