using System.Numerics;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// The processes of a replay in the order they were last seen (their own exec, or an exec below
/// them), bounded: seeing one more than it holds pushes out the one seen longest ago. Fixed arrays
/// and an index, so seeing a process allocates nothing. Keys are (pid, start): a replay has one boot.
/// </summary>
/// <remarks>
/// The index is an open-addressed table (linear probing, at most half full) whose buckets hold the
/// key beside the slot: a look-up touches one bucket and then the slot it names. A
/// <c>Dictionary</c> keeps its entries in a second array, and on a table this size (65,536
/// processes, megabytes) each array was a cache miss: its look-ups and removals were a tenth of a
/// 300,000-exec import's parse thread.
/// </remarks>
internal sealed class RecentProcesses
{
    private const int NoSlot = -1;

    private readonly Bucket[] _buckets;
    private readonly int _mask;
    private readonly int _shift;
    private readonly Slot[] _entries;
    private int _count;
    private int _newest = NoSlot;
    private int _oldest = NoSlot;

    public RecentProcesses(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1 << 28);
        _entries = new Slot[capacity];
        var size = (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
        _buckets = new Bucket[size];
        _mask = size - 1;
        _shift = 64 - BitOperations.Log2((uint)size);
    }

    public int Count => _count;

    /// <summary>
    /// Marks a process as seen at <paramref name="time"/>. When it is new and the set is full, the
    /// process seen longest ago leaves it and is returned in <paramref name="left"/>.
    /// </summary>
    public bool See(int pid, long start, DateTimeOffset time, out (int Pid, long Start, DateTimeOffset LastSeen) left)
    {
        left = default;
        var bucket = Find(pid, start);
        if (_buckets[bucket].Slot != 0)
        {
            var known = _buckets[bucket].Slot - 1;
            _entries[known].LastSeen = time;
            MakeNewest(known);
            return false;
        }

        var pushedOut = _count == _entries.Length;
        int at;
        if (pushedOut)
        {
            at = _oldest;
            ref var old = ref _entries[at];
            left = (old.Pid, old.Start, old.LastSeen);
            Remove(Find(old.Pid, old.Start));
            Unlink(at);

            // The removal may have moved the buckets after it.
            bucket = Find(pid, start);
        }
        else
        {
            at = _count++;
        }

        _buckets[bucket] = new Bucket { Start = start, Pid = pid, Slot = at + 1 };
        _entries[at] = new Slot { Pid = pid, Start = start, LastSeen = time, Older = NoSlot, Newer = NoSlot };
        Link(at);
        return pushedOut;
    }

    /// <summary>
    /// Marks a process the set holds as seen at <paramref name="time"/>, placed just behind the
    /// newest one: where it would be had it been seen again right before the newest was.
    /// </summary>
    public void SeeBehindNewest(int pid, long start, DateTimeOffset time)
    {
        var at = _buckets[Find(pid, start)].Slot - 1;
        if (at == NoSlot || at == _newest)
        {
            throw new InvalidOperationException($"Process {pid} (start {start}) is not in the recent set behind its newest process.");
        }

        Unlink(at);
        ref var slot = ref _entries[at];
        slot.LastSeen = time;
        slot.Newer = _newest;
        slot.Older = _entries[_newest].Older;
        if (slot.Older != NoSlot)
        {
            _entries[slot.Older].Newer = at;
        }
        else
        {
            _oldest = at;
        }

        _entries[_newest].Older = at;
    }

    /// <summary>The bucket holding (pid, start), or the empty bucket where it would go.</summary>
    private int Find(int pid, long start)
    {
        var bucket = Home(pid, start);
        while (_buckets[bucket].Slot != 0 && (_buckets[bucket].Pid != pid || _buckets[bucket].Start != start))
        {
            bucket = (bucket + 1) & _mask;
        }

        return bucket;
    }

    /// <summary>Fibonacci hashing: the high bits of the product spread PIDs and starts that count up.</summary>
    private int Home(int pid, long start) =>
        (int)((((ulong)(uint)pid * 0x9E3779B97F4A7C15) ^ ((ulong)start * 0xC2B2AE3D27D4EB4F)) >> _shift);

    /// <summary>
    /// Empties a bucket by backward shift (Knuth, TAOCP 6.4, Algorithm R): each later bucket of the
    /// probe run moves into the hole unless its home lies after the hole, so no look-up ever stops
    /// early at a hole and no tombstones pile up.
    /// </summary>
    private void Remove(int hole)
    {
        var next = hole;
        while (true)
        {
            next = (next + 1) & _mask;
            if (_buckets[next].Slot == 0)
            {
                break;
            }

            var home = Home(_buckets[next].Pid, _buckets[next].Start);
            if (((next - home) & _mask) >= ((next - hole) & _mask))
            {
                _buckets[hole] = _buckets[next];
                hole = next;
            }
        }

        _buckets[hole] = default;
    }

    private void MakeNewest(int at)
    {
        if (at != _newest)
        {
            Unlink(at);
            Link(at);
        }
    }

    private void Link(int at)
    {
        ref var slot = ref _entries[at];
        slot.Older = _newest;
        slot.Newer = NoSlot;
        if (_newest != NoSlot)
        {
            _entries[_newest].Newer = at;
        }

        _newest = at;
        if (_oldest == NoSlot)
        {
            _oldest = at;
        }
    }

    private void Unlink(int at)
    {
        ref var slot = ref _entries[at];
        if (slot.Older != NoSlot)
        {
            _entries[slot.Older].Newer = slot.Newer;
        }
        else
        {
            _oldest = slot.Newer;
        }

        if (slot.Newer != NoSlot)
        {
            _entries[slot.Newer].Older = slot.Older;
        }
        else
        {
            _newest = slot.Older;
        }

        slot.Older = slot.Newer = NoSlot;
    }

    /// <summary>One bucket of the index: the key and its slot plus one (0 marks an empty bucket).</summary>
    private struct Bucket
    {
        public long Start;
        public int Pid;
        public int Slot;
    }

    private struct Slot
    {
        public int Pid;
        public long Start;
        public DateTimeOffset LastSeen;
        public int Older;
        public int Newer;
    }
}
