using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The newest process ends this replica ingested, by process, bounded (the oldest forgotten
/// first). An end never changes once reported, so a view may take one from here instead of
/// asking the database. Not thread-safe: <see cref="HotWindow"/> guards it with its own lock.
/// </summary>
internal sealed class RecentEnds(int capacity)
{
    private readonly Dictionary<ProcessKey, ProcessEnd> _ends = new(capacity);
    private readonly Queue<ProcessKey> _order = new(capacity);

    public int Count => _ends.Count;

    public void Add(ProcessEnd end)
    {
        if (!_ends.TryAdd(end.Process, end))
        {
            return; // a resent batch: the same end again
        }

        _order.Enqueue(end.Process);
        while (_order.Count > capacity)
        {
            _ends.Remove(_order.Dequeue());
        }
    }

    public bool TryGet(ProcessKey key, out ProcessEnd end) => _ends.TryGetValue(key, out end!);

    /// <summary>Forgets the ends that <paramref name="removed"/> says, keeping the others' order.</summary>
    public void RemoveWhere(Func<ProcessEnd, bool> removed)
    {
        var kept = _order.Select(key => _ends[key]).Where(end => !removed(end)).ToList();
        _ends.Clear();
        _order.Clear();
        foreach (var end in kept)
        {
            _ends[end.Process] = end;
            _order.Enqueue(end.Process);
        }
    }
}
