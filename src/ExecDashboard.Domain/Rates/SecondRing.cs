namespace ExecDashboard.Domain.Rates;

/// <summary>
/// Per-second exec counts of one parent over the horizon, in a ring indexed by unix second, with
/// running totals for the configured windows so a rate query does not sum the ring.
/// </summary>
/// <remarks>
/// Moving "now" forward by one second drops, from each window, the second that leaves it
/// (now − window) before the slot of now is reused; a jump longer than the horizon clears all.
/// So advancing costs O(windows) per elapsed second, bounded by the horizon, and is paid lazily
/// when the parent is next touched or queried.
/// </remarks>
internal sealed class SecondRing(int horizonSeconds, int[] windowSeconds)
{
    private readonly int[] _buckets = new int[horizonSeconds];
    private readonly long[] _sums = new long[windowSeconds.Length];

    /// <summary>The newest second the ring covers; <see cref="long.MinValue"/> while empty.</summary>
    public long Newest { get; private set; } = long.MinValue;

    /// <summary>Counts an exec at <paramref name="second"/>; false when it is older than the horizon.</summary>
    public bool Add(long second)
    {
        if (Newest == long.MinValue)
        {
            Newest = second;
        }
        else if (second > Newest)
        {
            AdvanceTo(second);
        }

        var age = Newest - second;
        if (age >= _buckets.Length)
        {
            return false;
        }

        _buckets[Index(second)]++;
        for (var i = 0; i < _sums.Length; i++)
        {
            if (age < windowSeconds[i])
            {
                _sums[i]++;
            }
        }

        return true;
    }

    /// <summary>An independent copy of the counts and totals.</summary>
    public SecondRing Clone()
    {
        var copy = new SecondRing(_buckets.Length, windowSeconds) { Newest = Newest };
        _buckets.CopyTo(copy._buckets, 0);
        _sums.CopyTo(copy._sums, 0);
        return copy;
    }

    public void AdvanceTo(long second)
    {
        if (Newest == long.MinValue || second <= Newest)
        {
            return;
        }

        if (second - Newest >= _buckets.Length)
        {
            Array.Clear(_buckets);
            Array.Clear(_sums);
            Newest = second;
            return;
        }

        for (var s = Newest + 1; s <= second; s++)
        {
            for (var i = 0; i < _sums.Length; i++)
            {
                _sums[i] -= _buckets[Index(s - windowSeconds[i])];
            }

            _buckets[Index(s)] = 0;
        }

        Newest = second;
    }

    /// <summary>Execs in the <paramref name="seconds"/> seconds ending at <see cref="Newest"/>.</summary>
    public long CountOver(int windowIndex, int seconds)
    {
        if (Newest == long.MinValue)
        {
            return 0;
        }

        return windowIndex >= 0 ? _sums[windowIndex] : SumRange(Newest - seconds + 1, Newest);
    }

    /// <summary>Sum of the seconds from <paramref name="first"/> to <paramref name="last"/> inclusive.</summary>
    public long SumRange(long first, long last)
    {
        if (Newest == long.MinValue)
        {
            return 0;
        }

        first = Math.Max(first, Newest - _buckets.Length + 1);
        last = Math.Min(last, Newest);
        long sum = 0;
        for (var s = first; s <= last; s++)
        {
            sum += _buckets[Index(s)];
        }

        return sum;
    }

    private int Index(long second)
    {
        var index = second % _buckets.Length;
        return (int)(index < 0 ? index + _buckets.Length : index);
    }
}
