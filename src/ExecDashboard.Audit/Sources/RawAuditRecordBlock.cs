namespace ExecDashboard.Audit.Sources;

/// <summary>
/// One item of the queue between a source and the pipeline: the records a source hands over at
/// once. The kernel source sends one record per block; a log file every complete line of one read.
/// </summary>
/// <remarks>
/// A log's lines travel as the bytes they are, cut into records only by whoever enumerates the
/// block, so the queue and the reader's async machinery are paid once per read (64 KiB, some 400
/// lines) instead of once per line. Measured on a 300,000-exec replay (1.5 million lines): a
/// queue item and an awaited write per line were 4-6% of the collector's CPU in a profile; a block
/// per read took the replay's CPU time down by about a tenth (medians of interleaved runs). The
/// kernel source keeps one record per block, see <c>AuditRecordReceiver</c>.
/// </remarks>
public readonly struct RawAuditRecordBlock
{
    // NetlinkType 0 means _data holds log lines; any other type, one record the kernel sent.
    private readonly ReadOnlyMemory<byte> _data;
    private readonly ushort _netlinkType;
    private readonly IRecordBlockLease? _lease;

    private RawAuditRecordBlock(ushort netlinkType, ReadOnlyMemory<byte> data, IRecordBlockLease? lease)
    {
        _netlinkType = netlinkType;
        _data = data;
        _lease = lease;
    }

    /// <summary>A block of the one record <paramref name="record"/>.</summary>
    /// <remarks>A log line (<see cref="RawAuditRecord.NetlinkType"/> 0) is a block of lines with one line.</remarks>
    public static RawAuditRecordBlock Of(RawAuditRecord record) => new(record.NetlinkType, record.Data, lease: null);

    /// <summary>
    /// Log lines as read: each ends with a newline except perhaps the last; a carriage return
    /// before a newline is not part of its line, and empty lines are no records.
    /// </summary>
    /// <param name="lines">The lines.</param>
    /// <param name="lease">Released by <see cref="Release"/> once the lines have been read, or null when they are the block's own.</param>
    public static RawAuditRecordBlock OfLogLines(ReadOnlyMemory<byte> lines, IRecordBlockLease? lease = null) => new(0, lines, lease);

    /// <summary>
    /// Tells the source the block has been read: call it once, after the last record was parsed
    /// (parsing copies what it keeps), and touch no record of the block afterwards. A block never
    /// released only costs its source a new buffer.
    /// </summary>
    public void Release() => _lease?.Release();

    /// <summary>The number of records the block holds (a walk over a block of lines).</summary>
    public int CountRecords()
    {
        var count = 0;
        foreach (var _ in this)
        {
            count++;
        }

        return count;
    }

    public Enumerator GetEnumerator() => new(_netlinkType, _data);

    /// <summary>The block's records in order; for log lines, each without its newline.</summary>
    public struct Enumerator
    {
        private readonly ushort _netlinkType;
        private ReadOnlyMemory<byte> _rest;
        private bool _done;

        internal Enumerator(ushort netlinkType, ReadOnlyMemory<byte> data)
        {
            _netlinkType = netlinkType;
            _rest = data;
            _done = false;
            Current = default;
        }

        public RawAuditRecord Current { get; private set; }

        public bool MoveNext()
        {
            if (_done)
            {
                return false;
            }

            if (_netlinkType != 0)
            {
                Current = new RawAuditRecord(_netlinkType, _rest);
                _done = true;
                return true;
            }

            while (!_rest.IsEmpty)
            {
                var rest = _rest.Span;
                var newline = rest.IndexOf((byte)'\n');
                var end = newline < 0 ? rest.Length : newline;
                var length = end > 0 && rest[end - 1] == (byte)'\r' ? end - 1 : end;
                var line = _rest[..length];
                _rest = newline < 0 ? default : _rest[(newline + 1)..];
                if (length > 0)
                {
                    Current = new RawAuditRecord(0, line);
                    return true;
                }
            }

            _done = true;
            return false;
        }
    }
}
