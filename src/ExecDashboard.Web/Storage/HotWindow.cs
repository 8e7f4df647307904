namespace ExecDashboard.Web.Storage;

/// <summary>
/// The most recent live events in memory, a fixed-size circular buffer: the live views read
/// here, never SQLite, so the feed stays fast under an exec storm. Thread-safe.
/// </summary>
internal sealed class HotWindow(int capacity)
{
    private readonly StoredExec[] _items = new StoredExec[capacity];
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

    /// <summary>Removes every event of a deleted session.</summary>
    public void RemoveSession(long sessionId) => RemoveWhere(e => e.SessionId == sessionId);

    /// <summary>Removes the events retention removed from the database.</summary>
    public void RemoveOlderThan(DateTimeOffset cutoff) => RemoveWhere(e => e.Event.Exec.Time < cutoff);

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
