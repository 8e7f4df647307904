using System.Threading.Channels;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Sources.Files;

/// <summary>
/// Reads one open log file into blocks of complete lines, as bytes. Lines of any length are fine:
/// a chunk grows to hold the longest (auditd writes a 128 KiB argument as one EXECVE line).
/// </summary>
/// <remarks>
/// The file is read into chunks that are only ever appended to, and each block is a slice of its
/// chunk: a block outlives the read on the pipeline's queue, so no byte a block points at is
/// written again until the block is released; a full chunk is left to the blocks still holding it
/// and reading goes on in another one (see <see cref="LogChunkPool"/>). Measured on a
/// 300,000-exec replay (1.5 million lines), copying each line into its own array was 1.5 million
/// allocations and the line's bytes copied twice; chunks are one allocation per 64 KiB, and only a
/// line cut by a chunk's end is copied.
/// </remarks>
internal sealed class LogLineReader : IDisposable
{
    // Below the large-object threshold (85,000 bytes), so a chunk the pool lets go is an ordinary young allocation.
    private const int ChunkSize = 64 * 1024;
    private readonly FileStream _stream;
    private readonly LogChunkPool _chunks = new(ChunkSize);
    private LogChunk _chunk;

    // _chunk[.._start] was handed out (or skipped); _chunk[_start.._end] is the line being read.
    private int _start;
    private int _end;
    private bool _disposed;

    private LogLineReader(FileStream stream, FileIdentity? identity)
    {
        _stream = stream;
        Identity = identity;
        _chunk = _chunks.Rent(ChunkSize);
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
    /// Reads to the current end of the file, writing the complete lines of each read as one block.
    /// Returns whether any bytes were read; a trailing line without its newline stays buffered
    /// until it completes.
    /// </summary>
    public async ValueTask<bool> ReadLinesAsync(ChannelWriter<RawAuditRecordBlock> writer, AuditSourceCounters counters, CancellationToken cancellationToken)
    {
        var any = false;
        while (true)
        {
            MakeRoom();
            var read = await _stream.ReadAsync(_chunk.Bytes.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return any;
            }

            any = true;
            _end += read;

            // Only the bytes just read can hold the newline that completes the pending lines.
            var lastNewline = _chunk.Bytes.AsSpan(_end - read, read).LastIndexOf((byte)'\n');
            if (lastNewline < 0)
            {
                continue;
            }

            var complete = _end - read + lastNewline + 1;
            var block = _chunk.Block(_start, complete - _start);
            _start = complete;
            var records = block.CountRecords();
            if (records > 0)
            {
                counters.AddRecords(records);
                await writer.WriteAsync(block, cancellationToken);
            }
            else
            {
                block.Release();
            }
        }
    }

    /// <summary>
    /// The last line when the file ends without a newline (end of a replay, or a file rotated
    /// away), as a block of that line; an empty block when there is none. Release it either way.
    /// </summary>
    public RawAuditRecordBlock TakeUnterminatedLine()
    {
        var line = _chunk.Block(_start, _end - _start);
        _start = _end;
        return line;
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

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Dispose();
        _chunk.Release();
    }

    /// <summary>
    /// Makes room to read into. The bytes before <see cref="_start"/> may be lines still queued, so a
    /// full chunk is not rewritten while they are: the line being read moves to another chunk (one
    /// twice its length when it is longer than half a chunk) and the reader lets go of the full one.
    /// </summary>
    private void MakeRoom()
    {
        if (_end < _chunk.Bytes.Length)
        {
            return;
        }

        var pending = _end - _start;
        var next = _chunks.Rent(pending > ChunkSize / 2 ? 2 * pending : ChunkSize);
        _chunk.Bytes.AsSpan(_start, pending).CopyTo(next.Bytes);
        _chunk.Release();
        _chunk = next;
        _start = 0;
        _end = pending;
    }
}
