using System.Runtime.InteropServices;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// The processes of a replay in the order they were last seen (their own exec, or an exec below
/// them), bounded: seeing one more than it holds pushes out the one seen longest ago. Fixed arrays
/// and an index, so seeing a process allocates nothing. Keys are (pid, start): a replay has one boot.
/// </summary>
internal sealed class RecentProcesses
{
    private const int NoSlot = -1;

    private readonly Dictionary<(int Pid, long Start), int> _slots;
    private readonly Slot[] _entries;
    private int _newest = NoSlot;
    private int _oldest = NoSlot;

    public RecentProcesses(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _entries = new Slot[capacity];

        // One more than it holds: a new process is added before the one it pushes out is removed.
        _slots = new Dictionary<(int, long), int>(capacity + 1);
    }

    public int Count => Math.Min(_slots.Count, _entries.Length);

    /// <summary>
    /// Marks a process as seen at <paramref name="time"/>. When it is new and the set is full, the
    /// process seen longest ago leaves it and is returned in <paramref name="left"/>.
    /// </summary>
    public bool See(int pid, long start, DateTimeOffset time, out (int Pid, long Start, DateTimeOffset LastSeen) left)
    {
        left = default;

        // One lookup finds a process or adds it: every exec sees a process not seen before.
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_slots, (pid, start), out var known);
        if (known)
        {
            _entries[index].LastSeen = time;
            MakeNewest(index);
            return false;
        }

        var pushedOut = _slots.Count > _entries.Length;
        var at = pushedOut ? _oldest : _slots.Count - 1;

        // Set before the removal below, which leaves this entry where it is.
        index = at;
        if (pushedOut)
        {
            ref var old = ref _entries[at];
            left = (old.Pid, old.Start, old.LastSeen);
            _slots.Remove((old.Pid, old.Start));
            Unlink(at);
        }

        _entries[at] = new Slot { Pid = pid, Start = start, LastSeen = time, Older = NoSlot, Newer = NoSlot };
        Link(at);
        return pushedOut;
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

    private struct Slot
    {
        public int Pid;
        public long Start;
        public DateTimeOffset LastSeen;
        public int Older;
        public int Newer;
    }
}
