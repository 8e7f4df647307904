using System.Threading.Channels;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Sources.Files;

/// <summary>
/// Splits one open log file into lines, as bytes. Lines of any length are fine: the buffer grows
/// to hold the longest (auditd writes a 128 KiB argument as one EXECVE line). Each line is copied
/// once into its own array because the record outlives this buffer on the pipeline's queue.
/// </summary>
internal sealed class LogLineReader : IDisposable
{
    private const int InitialBufferSize = 64 * 1024;
    private readonly FileStream _stream;
    private byte[] _buffer = new byte[InitialBufferSize];
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
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
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
        if (_end == _start)
        {
            return null;
        }

        var line = TrimCarriageReturn(_buffer.AsSpan(_start, _end - _start)).ToArray();
        _start = _end = 0;
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
        _start = _end = 0;
        return true;
    }

    public void Dispose() => _stream.Dispose();

    private static ReadOnlySpan<byte> TrimCarriageReturn(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private bool TryTakeLine(out byte[] line)
    {
        var pending = _buffer.AsSpan(_start, _end - _start);
        var newline = pending.IndexOf((byte)'\n');
        if (newline < 0)
        {
            line = [];
            return false;
        }

        line = TrimCarriageReturn(pending[..newline]).ToArray();
        _start += newline + 1;
        return true;
    }

    private void MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        var pending = _end - _start;
        if (_start > 0 && pending < _buffer.Length / 2)
        {
            // Enough room once consumed lines are dropped.
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
        }
        else
        {
            // One line longer than the buffer: grow it.
            var bigger = new byte[_buffer.Length * 2];
            _buffer.AsSpan(_start, pending).CopyTo(bigger);
            _buffer = bigger;
        }

        _start = 0;
        _end = pending;
    }
}
