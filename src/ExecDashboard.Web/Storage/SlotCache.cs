using System.Runtime.CompilerServices;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Values by id in a fixed number of slots, id <c>i</c> in slot <c>i mod size</c> (a later id
/// takes the slot over), for one reader's look-ups that repeat row after row: a look-up is one
/// array index, where a dictionary's was a tenth of an export's own CPU. Ids are not negative.
/// Not thread-safe.
/// </summary>
internal sealed class SlotCache<T>
{
    private readonly long[] _ids;
    private readonly T[] _values;
    private readonly int _mask;

    /// <param name="slots">A power of two.</param>
    public SlotCache(int slots)
    {
        if (slots <= 0 || (slots & (slots - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(slots), slots, "The number of slots must be a power of two.");
        }

        _ids = new long[slots];
        _values = new T[slots];
        _mask = slots - 1;
        Array.Fill(_ids, -1L);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(long id, out T value)
    {
        var slot = (int)(id & _mask);
        if (_ids[slot] == id)
        {
            value = _values[slot];
            return true;
        }

        value = default!;
        return false;
    }

    public void Set(long id, T value)
    {
        var slot = (int)(id & _mask);
        _ids[slot] = id;
        _values[slot] = value;
    }
}
