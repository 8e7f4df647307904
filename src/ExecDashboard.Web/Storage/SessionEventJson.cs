using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using ExecDashboard.Contracts.Sessions;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// A session's events as the export's <c>events</c> array, read by several readers side by side
/// (<see cref="EventRangeJson"/>, each on a connection of its own) and handed out in order. The
/// events are cut into chunks of consecutive ids; reader <c>r</c> of <c>n</c> writes chunks
/// <c>r</c>, <c>r + n</c>, ... in pieces (of 256 KiB, give or take an event) into buffers of its
/// own, at most two ahead of the piece being sent, so memory stays a few pieces per reader
/// whatever the session's and its events' size.
/// </summary>
/// <remarks>
/// One reader was the bottleneck of a download: reading rows and writing JSON took most of a
/// core while Kestrel sent (measured on a 300,000-exec export). Every reader takes its snapshot
/// (a read transaction) before the chunks are cut, so each sees the session as it was then.
/// </remarks>
internal sealed class SessionEventJson : ISessionJsonArray
{
    /// <summary>Buffers each reader may fill ahead of the one being sent.</summary>
    private const int BuffersPerReader = 2;

    private readonly EventRangeJson[] _readers;
    private readonly long[] _bounds;
    private readonly int _pieceBytes;
    private readonly Channel<Piece>[] _filled;
    private readonly BlockingCollection<ArrayBufferWriter<byte>>[] _free;
    private readonly CancellationTokenSource _stop = new();
    private Task[] _reading = [];

    // The piece being sent, how much of it is, the next chunk to send, and whether an event was.
    private Piece? _current;
    private int _sent;
    private int _next;
    private bool _any;
    private bool _disposed;

    private SessionEventJson(EventRangeJson[] readers, long[] bounds, int pieceBytes)
    {
        _readers = readers;
        _bounds = bounds;
        _pieceBytes = pieceBytes;
        _filled = new Channel<Piece>[readers.Length];
        _free = new BlockingCollection<ArrayBufferWriter<byte>>[readers.Length];
        for (var r = 0; r < readers.Length; r++)
        {
            // Unbounded, yet never holding more than the reader's buffers: it fills only free ones.
            _filled[r] = Channel.CreateUnbounded<Piece>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            _free[r] = [];
            for (var b = 0; b < BuffersPerReader; b++)
            {
                _free[r].Add(new ArrayBufferWriter<byte>(pieceBytes + (pieceBytes / 4) + 1));
            }
        }
    }

    private int Chunks => _bounds.Length - 1;

    /// <summary>
    /// Opens <paramref name="readers"/> connections to the database, cuts the session's events into
    /// chunks of <paramref name="chunkEvents"/> and starts reading them in pieces of <paramref name="pieceBytes"/>
    /// (and the event that passes it).
    /// </summary>
    public static SessionEventJson Start(string databasePath, long sessionId, int readers, int chunkEvents, int pieceBytes = 256 * 1024)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(readers, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkEvents, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pieceBytes, 1);
        var opened = new List<EventRangeJson>(readers);
        try
        {
            for (var r = 0; r < readers; r++)
            {
                var connection = new ExportConnection(databasePath);
                try
                {
                    // The snapshot is taken by the transaction's first read, just below.
                    connection.Execute("BEGIN;");
                    opened.Add(new EventRangeJson(connection, sessionId));
                }
                catch
                {
                    connection.Dispose();
                    throw;
                }
            }

            // Reader 0's snapshot first: the chunks are cut in it, and the others, taken after,
            // hold every event it does (new events get higher ids than any it holds).
            foreach (var reader in opened)
            {
                reader.Connection.Execute("SELECT 1 FROM sessions LIMIT 1;");
            }

            var events = new SessionEventJson([.. opened], Bounds(opened[0].Connection, sessionId, chunkEvents), pieceBytes);
            // Each reader on a thread of its own, as its steps block: on the thread pool's few
            // threads they held up Kestrel's sending and each other.
            events._reading = [.. Enumerable.Range(0, readers).Select(r =>
                Task.Factory.StartNew(() => events.Read(r), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default))];
            return events;
        }
        catch
        {
            foreach (var reader in opened)
            {
                reader.Dispose();
            }

            throw;
        }
    }

    public async ValueTask<bool> WriteNextAsync(IBufferWriter<byte> output, int bytes, CancellationToken cancellationToken)
    {
        var written = 0;
        while (written < bytes)
        {
            if (_current is not { } current)
            {
                if (_next == Chunks)
                {
                    return false;
                }

                current = await NextAsync(_filled[_next % _readers.Length].Reader, cancellationToken);
                _current = current;
                _sent = 0;

                // Chunks are separated here, events within a chunk by its reader.
                if (current.OpensChunk && current.Json.WrittenCount > 0 && _any)
                {
                    output.Write(","u8);
                    written++;
                }

                _any |= current.Json.WrittenCount > 0;
            }

            var piece = current.Json.WrittenSpan[_sent..];
            piece = piece[..Math.Min(piece.Length, bytes - written)];
            output.Write(piece);
            written += piece.Length;
            _sent += piece.Length;
            if (_sent == current.Json.WrittenCount)
            {
                _free[_next % _readers.Length].Add(current.Json, CancellationToken.None);
                _current = null;
                _next += current.ClosesChunk ? 1 : 0;
            }
        }

        return _next < Chunks || _current is not null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;

        // Readers still at work when the export ends early (an error, a closed download) stop.
        await _stop.CancelAsync();
        foreach (var reader in _readers)
        {
            reader.Connection.Interrupt();
        }

        foreach (var reading in _reading)
        {
            try
            {
                await reading;
            }
#pragma warning disable CA1031 // Each reader's failure reached the export through its channel, or came after the export ended.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        foreach (var reader in _readers)
        {
            reader.Dispose();
        }

        foreach (var free in _free)
        {
            free.Dispose();
        }

        _stop.Dispose();
    }

    /// <summary>
    /// Ids that cut the session's events into chunks: chunk <c>i</c> holds the ids in
    /// (<c>bounds[i]</c>, <c>bounds[i + 1]</c>]. Read from the session's index alone, which SQLite
    /// skips through without handing each id out.
    /// </summary>
    private static long[] Bounds(ExportConnection connection, long sessionId, int chunkEvents)
    {
        var bounds = new List<long> { 0 };
        using (var last = new RawStatement(connection.Handle, "SELECT max(id) FROM events WHERE session_id = ?1;"))
        {
            last.Bind(1, sessionId);
            if (!last.Step() || last.IsNull(0))
            {
                return [.. bounds];
            }

            using var cut = new RawStatement(connection.Handle, "SELECT id FROM events WHERE session_id = ?1 AND id > ?2 ORDER BY id LIMIT 1 OFFSET ?3;");
            cut.Bind(1, sessionId);
            cut.Bind(3, chunkEvents - 1);
            var max = last.Int64(0);
            while (true)
            {
                cut.Bind(2, bounds[^1]);
                var found = cut.Step();
                var bound = found ? cut.Int64(0) : max;
                cut.Reset();
                bounds.Add(bound);
                if (!found || bound >= max)
                {
                    return [.. bounds];
                }
            }
        }
    }

    private static async ValueTask<Piece> NextAsync(ChannelReader<Piece> filled, CancellationToken cancellationToken)
    {
        try
        {
            return await filled.ReadAsync(cancellationToken);
        }
        catch (ChannelClosedException e) when (e.InnerException is { } failed)
        {
            ExceptionDispatchInfo.Throw(failed);
            throw;
        }
    }

    /// <summary>Reader <paramref name="r"/>: its chunks in order, each in pieces written into free buffers and handed over filled.</summary>
    private void Read(int r)
    {
        var reader = _readers[r];
        var filled = _filled[r].Writer;
        try
        {
            for (var chunk = r; chunk < Chunks; chunk += _readers.Length)
            {
                reader.Begin(_bounds[chunk], _bounds[chunk + 1]);
                bool more;
                var opens = true;
                do
                {
                    var buffer = _free[r].Take(_stop.Token);
                    buffer.ResetWrittenCount();
                    more = reader.WriteNext(buffer, _pieceBytes);
                    filled.TryWrite(new Piece(buffer, opens, !more));
                    opens = false;
                }
                while (more);
            }

            filled.Complete();
        }
        catch (Exception e)
        {
            filled.TryComplete(e);
            throw;
        }
    }

    /// <summary>Some of a chunk's events as JSON; the first piece of a chunk opens it, the last closes it.</summary>
    private readonly record struct Piece(ArrayBufferWriter<byte> Json, bool OpensChunk, bool ClosesChunk);
}
