using System.Buffers;
using System.Globalization;
using System.Text;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The processes a session's events name (as exec'ing process or parent), oldest first, read
/// straight from their rows into the export's <c>processes</c> array (<see cref="SessionJson.ProcessDto"/>'s
/// shape), as <see cref="EventRangeJson"/> writes the events: the same rows and order as
/// <see cref="SqliteEventStore.StreamSessionProcesses"/>, without domain objects or the serializer.
/// The same rows bring the processes' ends (<see cref="Ends"/>), which a query of their own found
/// by collecting the session's processes a second time.
/// </summary>
internal sealed class SessionProcessJson : ISessionJsonArray
{
    // Ties in first_seen_us (a parent first seen with its first child) come in id order, as the
    // streamed processes do.
    private const string Select = """
        SELECT p.boot, p.pid, p.start, p.ppid, p.exe, p.argv, a.text, p.provenance, p.first_seen_us, p.last_seen_us,
               b.text, x.started_us, x.ended_us, x.exit_code, x.signal, x.core_dumped
        FROM processes p LEFT JOIN texts a ON a.id = p.argv LEFT JOIN texts b ON b.id = p.boot
            LEFT JOIN process_ends x ON x.pid = p.pid AND x.start = p.start AND x.boot = b.text
        WHERE p.id IN (SELECT process FROM events WHERE session_id = ?1 UNION SELECT parent FROM events WHERE session_id = ?1)
        ORDER BY p.first_seen_us, p.id;
        """;

    /// <summary>
    /// The page cache this export's connection may fill, in KiB, which is also what SQLite sorts in
    /// memory before it writes sorted runs to temporary files and merges them: with the default
    /// (2 MiB) the sort of a 300,000-exec session's processes (18 MB) spilled, which was a third of
    /// that query's CPU. Bounded, so a bigger session spills rather than grows the dashboard.
    /// </summary>
    private const int SortKilobytes = 32 * 1024;

    private readonly IsoTimeJson _firstSeen = new(sinceEpoch: false);
    private readonly IsoTimeJson _lastSeen = new(sinceEpoch: false);
    private readonly ExportConnection _connection;
    private readonly RawStatement _processes;
    private readonly ExportTexts _texts;
    private readonly List<ProcessEnd> _ends = [];
    private readonly Dictionary<long, string> _boots = [];

    // The first step, which runs the whole query but the last reads; null once it is over.
    private Task<bool>? _sorting;
    private bool _rowReady;
    private bool _any;
    private bool _done;
    private bool _disposed;

    private SessionProcessJson(ExportConnection connection, long sessionId)
    {
        _connection = connection;
        connection.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size = -{SortKilobytes};"));
        _processes = new RawStatement(connection.Handle, Select);
        _processes.Bind(1, sessionId);
        _texts = new ExportTexts(connection);
    }

    /// <summary>
    /// Opens the processes of <paramref name="sessionId"/> and starts their first step at once:
    /// before it returns a row SQLite collects the ids the events name and sorts their rows (about
    /// a third of the SQLite time of a 300,000-exec export), which then runs beside the writing of
    /// the events instead of after it.
    /// </summary>
    /// <param name="connection">Opened for this export; disposed with it.</param>
    public static SessionProcessJson Start(ExportConnection connection, long sessionId)
    {
        SessionProcessJson processes;
        try
        {
            processes = new SessionProcessJson(connection, sessionId);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        // On a thread of its own: a step this long on one of the thread pool's few threads held up
        // the rest of the download (half a second, until the pool added a thread).
        processes._sorting = Task.Factory.StartNew(processes._processes.Step, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return processes;
    }

    /// <summary>The ends of the processes written, once the last is (as <see cref="SqliteEventStore.ReadSessionEnds"/> finds them).</summary>
    public IReadOnlyCollection<ProcessEnd> Ends =>
        _done ? _ends : throw new InvalidOperationException("The ends are known once every process is written.");

    public ValueTask<bool> WriteNextAsync(IBufferWriter<byte> output, int bytes, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return _sorting is null ? ValueTask.FromResult(Write(output, bytes)) : WriteFirstAsync(output, bytes);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_sorting is { } sorting)
        {
            // The export ended before it asked for the processes (an error, a closed download):
            // their query is stopped, and whatever it ended with concerns no one.
            if (!sorting.IsCompleted)
            {
                _connection.Interrupt();
            }

            try
            {
                await sorting;
            }
            catch (SqliteException)
            {
            }
        }

        _processes.Dispose();
        _texts.Dispose();
        _connection.Dispose();
    }

    private async ValueTask<bool> WriteFirstAsync(IBufferWriter<byte> output, int bytes)
    {
        _rowReady = await _sorting!;
        _done = !_rowReady;
        _sorting = null;
        return Write(output, bytes);
    }

    private bool Write(IBufferWriter<byte> output, int bytes)
    {
        if (_done)
        {
            return false;
        }

        var json = new JsonOutput(output);
        while (json.Written < bytes)
        {
            if (!_rowReady && !_processes.Step())
            {
                _done = true;
                break;
            }

            _rowReady = false;
            if (_any)
            {
                json.Write((byte)',');
            }

            WriteProcess(_processes, ref json);
            KeepEnd(_processes);
            _any = true;
        }

        json.Commit();
        return !_done;
    }

    /// <summary>The row's end, if its process has one, read as <c>ProcessEndRows</c> reads a stored end.</summary>
    private void KeepEnd(RawStatement r)
    {
        if (r.IsNull(12))
        {
            return;
        }

        var bootId = r.Int64(0);
        if (!_boots.TryGetValue(bootId, out var boot))
        {
            boot = Encoding.UTF8.GetString(r.Utf8(10));
            _boots[bootId] = boot;
        }

        _ends.Add(new ProcessEnd
        {
            Process = new ProcessKey(boot, (int)r.Int64(1), r.Int64(2)),
            Started = UnixMicros.ToTime(r.Int64(11)),
            Time = UnixMicros.ToTime(r.Int64(12)),

            // Read defensively like every stored row: a row that says nothing reads as exit code 0.
            Status = ExitStatus.From(r.IsNull(13) ? null : (int)r.Int64(13), r.IsNull(14) ? null : (int)r.Int64(14), r.Int64(15) != 0) ?? ExitStatus.Exited(0),
        });
    }

    private void WriteProcess(RawStatement r, ref JsonOutput o)
    {
        var texts = _texts;
        o.Write("{\"key\":"u8);
        var pid = (int)r.Int64(1);
        o.WriteKey(texts.String(r.Int64(0)), pid, r.Int64(2));
        o.Write(",\"pid\":"u8);
        o.Write(pid);
        o.Write(",\"ppid\":"u8);
        o.Write((int)r.Int64(3));
        o.Write(",\"exe\":"u8);
        o.Write(texts.String(r.Int64(4)));
        o.Write(",\"argv\":"u8);
        o.Write(texts.List(r.Int64(5), r, 6));
        o.Write(",\"provenance\":"u8);
        o.Write(ProvenanceJson.Named(r.Int64(7)));
        o.Write(",\"firstSeen\":"u8);
        o.Write(_firstSeen.Quoted(r.Int64(8)));
        o.Write(",\"lastSeen\":"u8);
        o.Write(_lastSeen.Quoted(r.Int64(9)));
        o.Write((byte)'}');
    }

}
