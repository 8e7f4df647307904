namespace ExecDashboard.Audit.Assembly;

/// <summary>
/// The keys (node, serial, time) of the last <c>capacity</c> events completed, so a straggler of
/// one is known as late instead of opening a new event. A ring, oldest overwritten first. Asked
/// once per event opened; a hash set with a queue beside it cost an insert, an eviction and two
/// queue moves per event, on the pipeline thread of a 300,000-exec replay. Here a completion is
/// three array writes, and a question for a serial above every one remembered (the usual case:
/// serials rise) is answered by one comparison; otherwise a vectorized search of the serials.
/// Not thread-safe, like its assembler.
/// </summary>
internal sealed class RecentEvents(int capacity)
{
    private readonly uint[] _serials = new uint[capacity];
    private readonly long[] _timesMs = new long[capacity];
    private readonly string?[] _nodes = new string?[capacity];
    private int _count;
    private int _next;

    // At least every serial in the ring: a rising bound, made exact again each time the ring wraps
    // so a serial counter that wrapped at 2^32 does not leave it high for good.
    private uint _highest;

    public void Add(string? node, uint serial, long timeMs)
    {
        if (_serials.Length == 0)
        {
            return;
        }

        _serials[_next] = serial;
        _timesMs[_next] = timeMs;
        _nodes[_next] = node;
        _highest = Math.Max(_highest, serial);
        _count = Math.Max(_count, _next + 1);
        if (++_next == _serials.Length)
        {
            _next = 0;
            _highest = Highest(_serials);
        }
    }

    public bool Contains(string? node, uint serial, long timeMs)
    {
        if (_count == 0 || serial > _highest)
        {
            return false;
        }

        var serials = _serials.AsSpan(0, _count);
        var from = 0;
        int at;
        while ((at = serials[from..].IndexOf(serial)) >= 0)
        {
            var i = from + at;
            if (_timesMs[i] == timeMs && string.Equals(_nodes[i], node, StringComparison.Ordinal))
            {
                return true;
            }

            from = i + 1;
        }

        return false;
    }

    private static uint Highest(ReadOnlySpan<uint> serials)
    {
        var highest = 0u;
        foreach (var serial in serials)
        {
            highest = Math.Max(highest, serial);
        }

        return highest;
    }
}
