using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// Bounded on-disk spool of batches not yet acknowledged by the dashboard: append-only segment
/// files of length-prefixed records (<c>int32 length, int64 seq, MessagePack events</c>), and the
/// highest acknowledged sequence in its own file. A segment is deleted once every batch in it is
/// acknowledged. A record torn by a crash (cut short at the end of a segment) is cut off at load.
/// Thread-safe.
/// </summary>
internal sealed class BatchSpool : IDisposable
{
    private const string SegmentPrefix = "segment-";
    private const string SegmentSuffix = ".spool";
    private const int HeaderBytes = 12;

    // MessagePackSerializerOptions.Standard with the contractless resolver, left uninitialized until used.
    private static readonly MessagePackSerializerOptions Serializer = new MessagePackSerializerOptions(DeferredContractlessResolver.Instance)
        .WithSecurity(MessagePackSecurity.UntrustedData);

    private readonly string _directory;
    private readonly long _maxBytes;
    private readonly long _segmentBytes;
    private readonly Lock _lock = new();
    private readonly List<Segment> _segments = [];
    private readonly SortedList<long, Entry> _pending = [];
    private FileStream? _tail;
    private long _acked;
    private long _lastSeq;
    private long _bytes;

    public BatchSpool(string directory, long maxBytes)
    {
        _directory = directory;
        _maxBytes = maxBytes;
        _segmentBytes = Math.Clamp(maxBytes / 8, 64 * 1024, 8 * 1024 * 1024);
        if (!Directory.Exists(directory) && !OperatingSystem.IsWindows())
        {
            // Exec arguments can hold secrets: the spool is its owner's alone.
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        Directory.CreateDirectory(directory);
        _acked = ReadAcked();
        _lastSeq = _acked;
        Load();
    }

    public long AcknowledgedSeq
    {
        get
        {
            lock (_lock)
            {
                return _acked;
            }
        }
    }

    public long LastSeq
    {
        get
        {
            lock (_lock)
            {
                return _lastSeq;
            }
        }
    }

    public long PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count;
            }
        }
    }

    public long Bytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The collector id kept in the spool folder, created on first use.</summary>
    public string CollectorId()
    {
        var file = Path.Combine(_directory, "collector-id");
        if (File.Exists(file))
        {
            var id = File.ReadAllText(file).Trim();
            if (id.Length > 0)
            {
                return id;
            }
        }

        var created = Guid.NewGuid().ToString("N");
        File.WriteAllText(file, created + "\n");
        return created;
    }

    /// <summary>Appends a batch under the next sequence number; returns null when the spool is full (the caller counts the drop).</summary>
    public long? Append(IReadOnlyList<ExecEventMessage> events) => Append(events, []);

    /// <summary>Appends a batch of events and process ends under the next sequence number; null when the spool is full.</summary>
    public long? Append(IReadOnlyList<ExecEventMessage> events, IReadOnlyList<ProcessExitMessage> exits) =>
        AppendPayload(SpoolPayload.Serialize(events, exits, Serializer));

    /// <summary>Appends the batch being cut (its events already encoded); null when the spool is full.</summary>
    public long? Append(PendingBatch batch)
    {
        var (head, events) = batch.Body();
        return AppendPayload(head.Span, events.Span);
    }

    private long? AppendPayload(ReadOnlySpan<byte> payload) => AppendPayload(payload, []);

    /// <summary>Appends one batch whose body comes in two consecutive parts.</summary>
    private long? AppendPayload(ReadOnlySpan<byte> head, ReadOnlySpan<byte> events)
    {
        var payloadBytes = head.Length + events.Length;
        var recordBytes = HeaderBytes + payloadBytes;
        lock (_lock)
        {
            if (_bytes + recordBytes > _maxBytes)
            {
                return null;
            }

            var seq = _lastSeq + 1;
            if (_tail is null || _tail.Length + recordBytes > _segmentBytes)
            {
                StartSegment(seq);
            }

            Span<byte> header = stackalloc byte[HeaderBytes];
            BinaryPrimitives.WriteInt32LittleEndian(header, payloadBytes);
            BinaryPrimitives.WriteInt64LittleEndian(header[4..], seq);
            var offset = _tail!.Length;
            _tail.Write(header);
            _tail.Write(head);
            _tail.Write(events);

            // Into the OS page cache: a crash of this process loses nothing written here.
            _tail.Flush(flushToDisk: false);
            var segment = _segments[^1];
            segment.LastSeq = seq;
            _pending.Add(seq, new Entry(segment, offset + HeaderBytes, payloadBytes, _pending.Count < ShippingOptions.InMemorySpoolBatches ? Keep(head, events) : null));
            _lastSeq = seq;
            _bytes += recordBytes;
            return seq;
        }
    }

    /// <summary>The oldest batch after <paramref name="afterSeq"/> not yet acknowledged, or null.</summary>
    public SpooledBatch? NextAfter(long afterSeq)
    {
        Entry entry;
        long seq;
        lock (_lock)
        {
            var index = FirstIndexAbove(Math.Max(afterSeq, _acked));
            if (index < 0)
            {
                return null;
            }

            seq = _pending.Keys[index];
            entry = _pending.Values[index];
        }

        if (entry.Kept is { } kept)
        {
            return SpoolPayload.Deserialize(seq, kept.AsMemory(0, entry.Length), Serializer);
        }

        var payload = new byte[entry.Length];
        using var handle = File.OpenHandle(entry.Segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.Read(handle, payload, entry.Offset);
        return SpoolPayload.Deserialize(seq, payload, Serializer);
    }

    /// <summary>Forgets every batch up to <paramref name="seq"/>; deletes segments that hold nothing else.</summary>
    public void Acknowledge(long seq)
    {
        lock (_lock)
        {
            if (seq <= _acked)
            {
                return;
            }

            _acked = Math.Min(seq, _lastSeq);
            while (_pending.Count > 0 && _pending.Keys[0] <= _acked)
            {
                if (_pending.Values[0].Kept is { } kept)
                {
                    ArrayPool<byte>.Shared.Return(kept);
                }

                _pending.RemoveAt(0);
            }

            while (_segments.Count > 0 && _segments[0].LastSeq <= _acked)
            {
                var done = _segments[0];
                if (_segments.Count == 1)
                {
                    _tail?.Dispose();
                    _tail = null;
                }

                _bytes -= new FileInfo(done.Path).Length;
                File.Delete(done.Path);
                _segments.RemoveAt(0);
            }

            WriteAcked(_acked);
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _tail?.Dispose();
            _tail = null;
        }
    }

    /// <summary>
    /// A copy of a batch's bytes kept in memory, in a pooled array: a batch is about a megabyte, and
    /// a fresh array per batch was a large-object allocation each time, which the runtime answers
    /// with a full collection every few batches (measured: most of a replay's collections).
    /// Returned to the pool when the batch is acknowledged, which the sender does only after the
    /// dashboard answered it, so no send is still reading it.
    /// </summary>
    private static byte[] Keep(ReadOnlySpan<byte> head, ReadOnlySpan<byte> events)
    {
        var kept = ArrayPool<byte>.Shared.Rent(head.Length + events.Length);
        head.CopyTo(kept);
        events.CopyTo(kept.AsSpan(head.Length));
        return kept;
    }

    private int FirstIndexAbove(long seq)
    {
        var keys = _pending.Keys;
        int lo = 0, hi = keys.Count - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) / 2;
            if (keys[mid] > seq)
            {
                found = mid;
                hi = mid - 1;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return found;
    }

    private void StartSegment(long firstSeq)
    {
        _tail?.Dispose();
        var path = Path.Combine(_directory, string.Create(CultureInfo.InvariantCulture, $"{SegmentPrefix}{firstSeq:D20}{SegmentSuffix}"));
        _tail = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read | FileShare.Delete);
        _segments.Add(new Segment(path) { LastSeq = firstSeq - 1 });
    }

    private void Load()
    {
        var files = Directory.GetFiles(_directory, SegmentPrefix + "*" + SegmentSuffix).Order(StringComparer.Ordinal).ToArray();
        foreach (var path in files)
        {
            var segment = new Segment(path) { LastSeq = 0 };
            long good = 0;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                var header = new byte[HeaderBytes];
                while (stream.Position + HeaderBytes <= stream.Length)
                {
                    stream.ReadExactly(header);
                    var length = BinaryPrimitives.ReadInt32LittleEndian(header);
                    var seq = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(4));
                    if (length < 0 || stream.Position + length > stream.Length)
                    {
                        break;
                    }

                    if (seq > _acked)
                    {
                        _pending[seq] = new Entry(segment, stream.Position, length);
                    }

                    stream.Position += length;
                    good = stream.Position;
                    segment.LastSeq = Math.Max(segment.LastSeq, seq);
                    _lastSeq = Math.Max(_lastSeq, seq);
                }
            }

            if (good < new FileInfo(path).Length)
            {
                // A record torn by a crash: it was never acknowledged, so it was never promised.
                using var truncate = new FileStream(path, FileMode.Open, FileAccess.Write);
                truncate.SetLength(good);
            }

            if (segment.LastSeq <= _acked)
            {
                File.Delete(path);
                continue;
            }

            _segments.Add(segment);
            _bytes += good;
        }
    }

    private long ReadAcked()
    {
        var file = Path.Combine(_directory, "acknowledged");
        return File.Exists(file) && long.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;
    }

    private void WriteAcked(long seq)
    {
        // Write then rename: a crash leaves the old or the new value, never half of one.
        var file = Path.Combine(_directory, "acknowledged");
        var temp = file + ".tmp";
        File.WriteAllText(temp, seq.ToString(CultureInfo.InvariantCulture));
        File.Move(temp, file, overwrite: true);
    }

    private sealed class Segment(string path)
    {
        public string Path { get; } = path;

        public long LastSeq { get; set; }
    }

    /// <summary>
    /// Where a batch lies on disk; the newest few (see <see cref="ShippingOptions.InMemorySpoolBatches"/>)
    /// also keep their bytes in memory (the first <see cref="Length"/> bytes of <see cref="Kept"/>), to be sent without a read.
    /// </summary>
    private sealed record Entry(Segment Segment, long Offset, int Length, byte[]? Kept = null);
}
