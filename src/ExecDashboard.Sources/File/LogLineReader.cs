using System.Threading.Channels;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Sources.Files;

/// <summary>
/// Splits one open log file into lines, as bytes. Lines of any length are fine: a chunk grows to
/// hold the longest (auditd writes a 128 KiB argument as one EXECVE line).
/// </summary>
/// <remarks>
/// The file is read into chunks that are only ever appended to, and each line is a slice of its
/// chunk: a record outlives the read on the pipeline's queue, so no byte a line points at is
/// written again; a full chunk is left to the records still holding it and reading goes on in a
/// new one. Measured on a 300,000-exec replay (1.5 million lines), copying each line into its own
/// array was 1.5 million allocations and the line's bytes copied twice; chunks are one allocation
/// per 64 KiB, and only a line cut by a chunk's end is copied.
/// </remarks>
internal sealed class LogLineReader : IDisposable
{
    // Below the large-object threshold (85,000 bytes), so a chunk is an ordinary short-lived allocation.
    private const int ChunkSize = 64 * 1024;
    private readonly FileStream _stream;
    private byte[] _chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);

    // _chunk[.._start] was handed out (or skipped); _chunk[_start.._end] is the line being read.
    private int _start;
    private int _end;

    private LogLineReader(FileStream stream, FileIdentity? identity)
    {
        _stream = stream;
        Identity = identity;
    }

    /// <summary>The file this reader has open, even after it has been renamed away.</summary>
    public FileIdentity? Identity { get; }

    /// <summary>Opens <paramref name="path"/> for reading while a writer (auditd) keeps appending, renaming or deleting it.</summary>
    public static LogLineReader Open(string path)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0, // we buffer ourselves
            Options = FileOptions.SequentialScan,
        });
        return new LogLineReader(stream, FileIdentity.OfHandle(stream.SafeFileHandle));
    }

    /// <summary>
    /// Reads to the current end of the file, writing every complete line. Returns whether any
    /// bytes were read; a trailing line without its newline stays buffered until it completes.
    /// </summary>
    public async ValueTask<bool> ReadLinesAsync(ChannelWriter<RawAuditRecord> writer, AuditSourceCounters counters, CancellationToken cancellationToken)
    {
        var any = false;
        while (true)
        {
            MakeRoom();
            var read = await _stream.ReadAsync(_chunk.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return any;
            }

            any = true;
            _end += read;
            while (TryTakeLine(out var line))
            {
                if (line.Length > 0)
                {
                    counters.AddRecord();
                    await writer.WriteAsync(new RawAuditRecord(0, line), cancellationToken);
                }
            }
        }
    }

    /// <summary>The last line when the file ends without a newline (end of a replay, or a file rotated away).</summary>
    public byte[]? TakeUnterminatedLine()
    {
        var line = TrimCarriageReturn(_chunk.AsSpan(_start, _end - _start)).ToArray();
        _start = _end;
        return line.Length > 0 ? line : null;
    }

    /// <summary>
    /// True when the file became shorter than what we have read: it was truncated in place (logrotate's
    /// <c>copytruncate</c>). The reader then starts over at its beginning and drops the partial line.
    /// </summary>
    public bool RestartIfTruncated()
    {
        if (_stream.Length >= _stream.Position)
        {
            return false;
        }

        _stream.Position = 0;
        _start = _end;
        return true;
    }

    public void Dispose() => _stream.Dispose();

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private bool TryTakeLine(out ReadOnlyMemory<byte> line)
    {
        var newline = _chunk.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = default;
            return false;
        }

        var length = newline > 0 && _chunk[_start + newline - 1] == (byte)'\r' ? newline - 1 : newline;
        line = _chunk.AsMemory(_start, length);
        _start += newline + 1;
        return true;
    }

    /// <summary>
    /// Makes room to read into. The bytes before <see cref="_start"/> may be lines still queued, so a
    /// full chunk is never rewritten: the line being read moves to a new chunk, twice its length
    /// when it is longer than half a chunk.
    /// </summary>
    private void MakeRoom()
    {
        if (_end < _chunk.Length)
        {
            return;
        }

        var pending = _end - _start;
        var next = GC.AllocateUninitializedArray<byte>(pending > ChunkSize / 2 ? 2 * pending : ChunkSize);
        _chunk.AsSpan(_start, pending).CopyTo(next);
        _chunk = next;
        _start = 0;
        _end = pending;
    }
}
