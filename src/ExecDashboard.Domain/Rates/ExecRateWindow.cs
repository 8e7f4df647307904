using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// Exec rates per parent process: per-second buckets over a bounded horizon, top-N parents over a
/// window, and a per-parent series for charts. Memory is bounded by
/// <see cref="ExecRateOptions.MaxTrackedParents"/>; the least recently active parent is evicted.
/// </summary>
/// <remarks>
/// Thread-safety: the window owns its state behind one lock. The ingest thread calls
/// <see cref="Record(ExecEvent)"/> (or the batch overload, which takes the lock once per batch);
/// UI threads call the queries, which return immutable copies. Execs are bucketed by their kernel
/// time; windows end at the later of the <see cref="TimeProvider"/>'s now and the newest exec seen,
/// so a replayed session needs a provider pinned to the session's end.
/// </remarks>
public sealed class ExecRateWindow
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ExecRateOptions _options;
    private readonly int[] _windowSeconds;
    private readonly Dictionary<ProcessKey, LinkedListNode<ParentEntry>> _parents = [];

    // Most recently active first; eviction takes the last.
    private readonly LinkedList<ParentEntry> _recency = new();
    private long _newestSecond = long.MinValue;
    private long _lateExecs;
    private long _evictedParents;

    public ExecRateWindow(TimeProvider time, ExecRateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _options = options ?? new ExecRateOptions();
        _options.Validate();
        _windowSeconds = [.. _options.Windows.Select(w => (int)w.TotalSeconds)];
    }

    /// <summary>Execs older than the horizon when they arrived; counted, not bucketed.</summary>
    public long LateExecs => Interlocked.Read(ref _lateExecs);

    /// <summary>Parents evicted to stay within <see cref="ExecRateOptions.MaxTrackedParents"/>.</summary>
    public long EvictedParents => Interlocked.Read(ref _evictedParents);

    public int TrackedParents
    {
        get
        {
            lock (_gate)
            {
                return _parents.Count;
            }
        }
    }

    public void Record(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        lock (_gate)
        {
            RecordLocked(exec);
        }
    }

    public void Record(IEnumerable<ExecEvent> execs)
    {
        ArgumentNullException.ThrowIfNull(execs);
        lock (_gate)
        {
            foreach (var exec in execs)
            {
                RecordLocked(exec);
            }
        }
    }

    /// <summary>
    /// Records the execs in order under one lock, as <see cref="Record(IEnumerable{ExecEvent})"/>
    /// does, but an exec of the same parent as the exec before goes straight to that parent's
    /// entry: a storm's children come one after another, and the entry cannot have gone (a parent
    /// is only evicted to make room for a new one) nor stopped being the most recent.
    /// </summary>
    public void Record(IReadOnlyList<ExecEvent> execs)
    {
        ArgumentNullException.ThrowIfNull(execs);
        lock (_gate)
        {
            LinkedListNode<ParentEntry>? last = null;
            for (var i = 0; i < execs.Count; i++)
            {
                var exec = execs[i];
                if (last is not null && exec.Parent == last.Value.Key)
                {
                    RecordInto(last, exec);
                }
                else
                {
                    last = RecordLocked(exec);
                }
            }
        }
    }

    /// <summary>
    /// An independent copy of everything the window holds, recency included: from here on it
    /// answers as a window that had recorded the same execs would.
    /// </summary>
    public ExecRateWindow Clone()
    {
        var copy = new ExecRateWindow(_time, _options);
        lock (_gate)
        {
            foreach (var entry in _recency)
            {
                copy._parents.Add(entry.Key, copy._recency.AddLast(entry.Clone()));
            }

            copy._newestSecond = _newestSecond;
            copy._lateExecs = _lateExecs;
            copy._evictedParents = _evictedParents;
        }

        return copy;
    }

    /// <summary>The <paramref name="top"/> parents with the most execs over <paramref name="window"/>, most first.</summary>
    public IReadOnlyList<ParentRate> TopParents(TimeSpan window, int top)
    {
        _options.ValidateWindow(window);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        var seconds = (int)window.TotalSeconds;
        var index = Array.IndexOf(_windowSeconds, seconds);
        lock (_gate)
        {
            var now = NowSecondLocked();

            // A bounded min-heap keeps the query O(parents · log top) rather than sorting every parent.
            var best = new PriorityQueue<ParentEntry, (long Count, long Last)>(top + 1);
            foreach (var entry in _recency)
            {
                entry.Ring.AdvanceTo(now);
                var count = entry.Ring.CountOver(index, seconds);
                if (count == 0)
                {
                    continue;
                }

                best.Enqueue(entry, (count, entry.LastExec.UtcTicks));
                if (best.Count > top)
                {
                    best.Dequeue();
                }
            }

            var result = new ParentRate[best.Count];
            for (var i = result.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out var entry, out var priority);
                result[i] = entry!.ToRate(window, priority.Count);
            }

            return result;
        }
    }

    /// <summary>The rate of one parent over <paramref name="window"/>, or null when it is not tracked.</summary>
    public ParentRate? RateOf(ProcessKey parent, TimeSpan window)
    {
        _options.ValidateWindow(window);
        var seconds = (int)window.TotalSeconds;
        var index = Array.IndexOf(_windowSeconds, seconds);
        lock (_gate)
        {
            if (!_parents.TryGetValue(parent, out var node))
            {
                return null;
            }

            node.Value.Ring.AdvanceTo(NowSecondLocked());
            return node.Value.ToRate(window, node.Value.Ring.CountOver(index, seconds));
        }
    }

    /// <summary>Execs of <paramref name="parent"/> over <paramref name="window"/>; 0 when it is not tracked. Allocates nothing.</summary>
    public long CountOf(ProcessKey parent, TimeSpan window)
    {
        _options.ValidateWindow(window);
        var seconds = (int)window.TotalSeconds;
        var index = Array.IndexOf(_windowSeconds, seconds);
        lock (_gate)
        {
            if (!_parents.TryGetValue(parent, out var node))
            {
                return 0;
            }

            node.Value.Ring.AdvanceTo(NowSecondLocked());
            return node.Value.Ring.CountOver(index, seconds);
        }
    }

    /// <summary>
    /// Execs of <paramref name="parent"/> per <paramref name="bucket"/> over the <paramref name="window"/>
    /// ending now; null when the parent is not tracked.
    /// </summary>
    public RateSeries? SeriesOf(ProcessKey parent, TimeSpan window, TimeSpan bucket)
    {
        _options.ValidateWindow(window);
        _options.ValidateWindow(bucket);
        var bucketSeconds = (int)bucket.TotalSeconds;
        var buckets = (int)Math.Ceiling(window.TotalSeconds / bucketSeconds);
        lock (_gate)
        {
            if (!_parents.TryGetValue(parent, out var node))
            {
                return null;
            }

            var now = NowSecondLocked();
            var ring = node.Value.Ring;
            ring.AdvanceTo(now);
            var points = new RatePoint[buckets];
            var first = now - ((long)buckets * bucketSeconds) + 1;
            for (var i = 0; i < buckets; i++)
            {
                var start = first + ((long)i * bucketSeconds);
                points[i] = new RatePoint(DateTimeOffset.FromUnixTimeSeconds(start), ring.SumRange(start, start + bucketSeconds - 1));
            }

            return new RateSeries { Parent = parent, Bucket = bucket, Points = points };
        }
    }

    private LinkedListNode<ParentEntry> RecordLocked(ExecEvent exec)
    {
        if (!_parents.TryGetValue(exec.Parent, out var node))
        {
            if (_parents.Count >= _options.MaxTrackedParents)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _parents.Remove(oldest.Value.Key);
                Interlocked.Increment(ref _evictedParents);
            }

            node = _recency.AddFirst(new ParentEntry(exec.Parent, new SecondRing(_options.HorizonSeconds, _windowSeconds), _options.MaxChildExesPerParent));
            _parents.Add(exec.Parent, node);
        }
        else if (node != _recency.First)
        {
            // A storm hits the same parent again and again: it is already first, so this is rare.
            _recency.Remove(node);
            _recency.AddFirst(node);
        }

        RecordInto(node, exec);
        return node;
    }

    private void RecordInto(LinkedListNode<ParentEntry> node, ExecEvent exec)
    {
        var second = exec.Exec.Time.ToUnixTimeSeconds();
        if (second > _newestSecond)
        {
            _newestSecond = second;
        }

        if (!node.Value.Record(exec, second))
        {
            Interlocked.Increment(ref _lateExecs);
        }
    }

    private long NowSecondLocked() => Math.Max(_time.GetUtcNow().ToUnixTimeSeconds(), _newestSecond);

    private sealed class ParentEntry(ProcessKey key, SecondRing ring, int maxChildExes)
    {
        private readonly Dictionary<string, long> _children = new(StringComparer.Ordinal);
        private long _otherChildren;
        private string _exe = string.Empty;
        private IReadOnlyList<string> _argv = [];
        private IReadOnlyList<Ancestor> _chain = [];

        public ProcessKey Key => key;

        public SecondRing Ring => ring;

        public DateTimeOffset LastExec { get; private set; }

        public ParentEntry Clone()
        {
            var copy = new ParentEntry(key, ring.Clone(), maxChildExes)
            {
                _otherChildren = _otherChildren,
                _exe = _exe,
                _argv = _argv,
                _chain = _chain,
                LastExec = LastExec,
            };
            copy._children.AddAll(_children);

            return copy;
        }

        public bool Record(ExecEvent exec, long second)
        {
            if (exec.Exec.Time > LastExec)
            {
                LastExec = exec.Exec.Time;
            }

            // Ancestry starts at the parent; keep the latest view of it (an inferred parent may become known).
            if (exec.Ancestry.Count > 0 && exec.Ancestry[0].Key == key && (_chain.Count == 0 || exec.Ancestry[0].Exe.Length > 0))
            {
                _chain = exec.Ancestry;
                _exe = exec.Ancestry[0].Exe;
                _argv = exec.Ancestry[0].Argv;
            }

            // One hash of the exe per exec: this runs for every exec the kernel reports.
            ref var count = ref CollectionsMarshal.GetValueRefOrNullRef(_children, exec.Exec.Exe);
            if (!Unsafe.IsNullRef(ref count))
            {
                count++;
            }
            else if (_children.Count < maxChildExes)
            {
                _children.Add(exec.Exec.Exe, 1);
            }
            else
            {
                _otherChildren++;
            }

            return ring.Add(second);
        }

        public IReadOnlyList<ChildExeCount> TopChildren(int top)
        {
            var list = _children
                .OrderByDescending(c => c.Value)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(c => new ChildExeCount(c.Key, c.Value))
                .ToList();
            if (_otherChildren > 0)
            {
                list.Add(new ChildExeCount(OtherChildExes, _otherChildren));
            }

            return list;
        }

        public ParentRate ToRate(TimeSpan window, long count) => new()
        {
            Parent = key,
            Exe = _exe,
            Argv = _argv,
            Chain = _chain,
            Window = window,
            Count = count,
            LastExec = LastExec,
            TopChildren = TopChildren(5),
        };
    }

    /// <summary>The name under which child programs beyond the per-parent limit are counted.</summary>
    public const string OtherChildExes = "(other)";
}
