using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Configuration;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The SQLite side of the store: one writer connection (writes are serialized by a lock, one
/// transaction per ingest batch or import chunk) and pooled reader connections, which WAL lets run
/// beside the writer. An import is written as many short transactions (<see cref="ImportChunk"/>),
/// so no live batch ever waits for a whole import.
/// </summary>
internal sealed partial class SqliteEventStore : IDisposable
{
    private readonly SqliteConnection _writer;
    private readonly Lock _writeLock = new();
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly WriteCaches _writeCaches;
    private readonly ReadCaches _readCaches;
    private readonly WalCheckpointer _checkpointer;

    // Made once for the writer connection and kept: its prepared statements (two of them 64 rows
    // wide) outlive transactions, and preparing them for every batch and import transaction was
    // about 15% of the import writer thread's samples (dotnet-trace, 300,000-exec raw log).
    private ExecRowWriter? _rowWriter;

    // Writers (live batches, session changes) waiting for the lock; an import's chunks wait for them.
    private int _waitingWriters;

    public SqliteEventStore(DashboardPaths paths, TimeProvider time, int cacheEntries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(paths);
        SqliteThreading.Configure();
        _time = time;
        _writeCaches = new WriteCaches(cacheEntries);
        _readCaches = new ReadCaches(cacheEntries);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = paths.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        var isNew = !File.Exists(paths.DatabasePath);
        _writer = Open();
        if (isNew)
        {
            // The database holds exec arguments, which can hold secrets.
            File.SetUnixFileMode(paths.DatabasePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // WAL: readers never block the writer. synchronous=NORMAL in WAL mode keeps every
        // committed transaction across a crash of this process (only a power loss can undo the
        // last ones), which is the durability an ack promises to a collector.
        Execute(_writer, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        SchemaMigrations.Apply(_writer, time);
        Execute(_writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {WalCheckpointer.WriterCheckpointPages};"));
        _checkpointer = new WalCheckpointer(Open());
    }

    /// <summary>The thread that copies the log into the database beside the writer.</summary>
    public WalCheckpointer Checkpointer => _checkpointer;

    public string DatabasePath => _writer.DataSource;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction; rolled back if it throws. With
    /// <paramref name="afterWaitingWriters"/> (an import's chunks) it first lets every writer already
    /// waiting go: the lock alone would let the import, which asks again at once, barge ahead.
    /// </summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work, bool afterWaitingWriters = false)
    {
        if (afterWaitingWriters)
        {
            var spin = default(SpinWait);
            while (Volatile.Read(ref _waitingWriters) > 0)
            {
                spin.SpinOnce();
            }
        }
        else
        {
            Interlocked.Increment(ref _waitingWriters);
        }

        lock (_writeLock)
        {
            if (!afterWaitingWriters)
            {
                Interlocked.Decrement(ref _waitingWriters);
            }

            try
            {
                using var transaction = _writer.BeginTransaction();
                var result = work(_writer, transaction);
                transaction.Commit();
                _checkpointer.Written();
                return result;
            }
            catch
            {
                // Ids handed out inside the rolled-back transaction no longer exist.
                _writeCaches.Clear();
                throw;
            }
        }
    }

    /// <summary>The event writer for one write transaction (inside <see cref="Write"/>); the store owns it, callers do not dispose it.</summary>
    public ExecRowWriter Writer(SqliteConnection c)
    {
        if (!ReferenceEquals(c, _writer))
        {
            throw new InvalidOperationException("Events are written on the writer connection only.");
        }

        _rowWriter ??= new ExecRowWriter(_writer, _writeCaches);
        _rowWriter.BeginTransaction();
        return _rowWriter;
    }

    /// <summary>
    /// Opens a session. An <paramref name="importing"/> one stays hidden from every read until
    /// <see cref="FinishImport"/> commits, so an import's chunks never show before its end.
    /// </summary>
    public SessionInfo CreateSession(SqliteConnection c, SqliteTransaction t, string name, string host, string origin, DateTimeOffset started, bool importing = false)
    {
        using var command = Command(c, t, "INSERT INTO sessions (name, started_us, ended_us, host, origin, importing) VALUES ($name, $started, NULL, $host, $origin, $importing) RETURNING id;");
        command.Parameters.AddWithValue("$importing", importing ? 1 : 0);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$started", UnixMicros.From(started));
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$origin", origin);
        var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return new SessionInfo { Id = id, Name = name, Started = started, Host = host, Origin = origin, EventCount = 0 };
    }

    public void EndSession(SqliteConnection c, SqliteTransaction t, long id, DateTimeOffset ended)
    {
        using var command = Command(c, t, "UPDATE sessions SET ended_us = $ended WHERE id = $id AND ended_us IS NULL;");
        command.Parameters.AddWithValue("$ended", UnixMicros.From(ended));
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>The import's last transaction: its span is known and the session becomes visible.</summary>
    public void FinishImport(SqliteConnection c, SqliteTransaction t, long id, DateTimeOffset started, DateTimeOffset ended)
    {
        using var command = Command(c, t, "UPDATE sessions SET started_us = $started, ended_us = $ended, importing = 0 WHERE id = $id;");
        command.Parameters.AddWithValue("$started", UnixMicros.From(started));
        command.Parameters.AddWithValue("$ended", UnixMicros.From(ended));
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// Removes an import that did not finish (it failed, or the dashboard died during it) with every
    /// event and gap it wrote, a bounded number of events per transaction so live batches still
    /// interleave. The session row goes last: until then it stays hidden and marked, so a crash
    /// here is finished at the next start. Processes and strings stay, as for a deleted session.
    /// </summary>
    public void RemoveImport(long id)
    {
        int removed;
        do
        {
            removed = Write(
                (c, t) =>
                {
                    using var command = Command(c, t, "DELETE FROM events WHERE id IN (SELECT id FROM events WHERE session_id = $id LIMIT $max);");
                    command.Parameters.AddWithValue("$id", id);
                    command.Parameters.AddWithValue("$max", ImportChunk.MaxItems);
                    return command.ExecuteNonQuery();
                },
                afterWaitingWriters: true);
        }
        while (removed > 0);

        Write((c, t) =>
        {
            // Ends the import stored itself (one the store already had keeps its own session).
            foreach (var sql in new[] { "DELETE FROM gaps WHERE session_id = $id;", "DELETE FROM process_ends WHERE session_id = $id;", "DELETE FROM sessions WHERE id = $id AND importing = 1;" })
            {
                using var command = Command(c, t, sql);
                command.Parameters.AddWithValue("$id", id);
                command.ExecuteNonQuery();
            }

            return 0;
        });
    }

    /// <summary>Sessions still marked as importing: at start, what a dashboard killed mid-import left.</summary>
    public IReadOnlyList<long> ReadUnfinishedImports()
    {
        using var c = Open();
        using var command = Command(c, null, "SELECT id FROM sessions WHERE importing = 1 ORDER BY id;");
        return ReadAll(command, r => r.GetInt64(0));
    }

    public void DescribeSession(SqliteConnection c, SqliteTransaction t, long id, string name, string host)
    {
        using var command = Command(c, t, "UPDATE sessions SET name = $name, host = $host WHERE id = $id;");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }

    /// <summary>Sessions left open by a crash end at their last event (or their start).</summary>
    public void CloseOpenSessions()
    {
        Write((c, t) =>
        {
            using var command = Command(c, t, """
                UPDATE sessions SET ended_us = COALESCE((SELECT MAX(time_us) FROM events WHERE events.session_id = sessions.id), started_us)
                WHERE ended_us IS NULL;
                """);
            return command.ExecuteNonQuery();
        });
    }

    public void RecordCollector(SqliteConnection c, SqliteTransaction t, string collectorId, string host, long batchSeq, long serialGaps, long kernelLost, DateTimeOffset now)
    {
        using var command = Command(c, t, """
            INSERT INTO collectors (id, host, durable_batch_seq, serial_gaps, kernel_lost, last_seen_us)
            VALUES ($id, $host, $seq, $gaps, $lost, $now)
            ON CONFLICT (id) DO UPDATE SET host = excluded.host, durable_batch_seq = excluded.durable_batch_seq,
                serial_gaps = excluded.serial_gaps, kernel_lost = excluded.kernel_lost, last_seen_us = excluded.last_seen_us;
            """);
        command.Parameters.AddWithValue("$id", collectorId);
        command.Parameters.AddWithValue("$host", host);
        command.Parameters.AddWithValue("$seq", batchSeq);
        command.Parameters.AddWithValue("$gaps", serialGaps);
        command.Parameters.AddWithValue("$lost", kernelLost);
        command.Parameters.AddWithValue("$now", UnixMicros.From(now));
        command.ExecuteNonQuery();
    }

    /// <summary>The collector's loss counters as last stored, to record only their growth as gaps.</summary>
    public (long SerialGaps, long KernelLost)? ReadCollectorCounters(SqliteConnection c, SqliteTransaction t, string collectorId)
    {
        using var command = Command(c, t, "SELECT serial_gaps, kernel_lost FROM collectors WHERE id = $id;");
        command.Parameters.AddWithValue("$id", collectorId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public void InsertGap(SqliteConnection c, SqliteTransaction t, GapInfo gap)
    {
        using var command = Command(c, t, "INSERT INTO gaps (session_id, collector_id, time_us, serial_gaps, kernel_lost) VALUES ($s, $c, $t, $g, $l);");
        command.Parameters.AddWithValue("$s", gap.SessionId);
        command.Parameters.AddWithValue("$c", gap.CollectorId);
        command.Parameters.AddWithValue("$t", UnixMicros.From(gap.Time));
        command.Parameters.AddWithValue("$g", gap.SerialGaps);
        command.Parameters.AddWithValue("$l", gap.KernelLost);
        command.ExecuteNonQuery();
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public void Dispose()
    {
        // After a write in progress: the writer connection has no mutex of its own (SqliteThreading).
        lock (_writeLock)
        {
            _rowWriter?.Dispose();
            _checkpointer.Dispose();
            _writer.Dispose();
        }
    }

    internal static SqliteCommand Command(SqliteConnection c, SqliteTransaction? t, string sql)
    {
        var command = c.CreateCommand();
        command.Transaction = t;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection c, string sql)
    {
        using var command = Command(c, null, sql);
        command.ExecuteNonQuery();
    }
}
