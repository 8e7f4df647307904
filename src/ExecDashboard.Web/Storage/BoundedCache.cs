namespace ExecDashboard.Web.Storage;

/// <summary>
/// A dictionary that never holds more than <c>capacity</c> entries: when full it starts over.
/// </summary>
/// <remarks>
/// What it caches (text ids, process ids, ancestor chains) has a small hot set that comes back
/// within one batch, so starting over costs a few look-ups and keeps memory fixed without the
/// bookkeeping of an LRU list. Thread-safe; values must be immutable.
/// </remarks>
internal sealed class BoundedCache<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _entries = new(comparer);
    private readonly Lock _lock = new();

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            return _entries.TryGetValue(key, out value!);
        }
    }

    public void Set(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (_entries.Count >= capacity && !_entries.ContainsKey(key))
            {
                _entries.Clear();
            }

            _entries[key] = value;
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }
}
