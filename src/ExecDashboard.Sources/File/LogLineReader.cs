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
            var read = await _stream.ReadAsync(_chunk.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                return any;
            }

            any = true;
            _end += read;

            // Only the bytes just read can hold the newline that completes the pending lines.
            var lastNewline = _chunk.AsSpan(_end - read, read).LastIndexOf((byte)'\n');
            if (lastNewline < 0)
            {
                continue;
            }

            var complete = _end - read + lastNewline + 1;
            var block = RawAuditRecordBlock.OfLogLines(_chunk.AsMemory(_start, complete - _start));
            _start = complete;
            var records = block.CountRecords();
            if (records > 0)
            {
                counters.AddRecords(records);
                await writer.WriteAsync(block, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The last line when the file ends without a newline (end of a replay, or a file rotated
    /// away), as a block of that line; an empty block when there is none.
    /// </summary>
    public RawAuditRecordBlock TakeUnterminatedLine()
    {
        var line = RawAuditRecordBlock.OfLogLines(_chunk.AsMemory(_start, _end - _start));
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

    public void Dispose() => _stream.Dispose();

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
