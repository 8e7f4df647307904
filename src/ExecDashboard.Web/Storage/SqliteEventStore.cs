using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Configuration;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The SQLite side of the store: one writer connection (writes are serialized by a lock, one
/// transaction per ingest batch or import) and pooled reader connections, which WAL lets run
/// beside the writer.
/// </summary>
internal sealed partial class SqliteEventStore : IDisposable
{
    private readonly SqliteConnection _writer;
    private readonly Lock _writeLock = new();
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly WriteCaches _writeCaches;
    private readonly ReadCaches _readCaches;

    public SqliteEventStore(DashboardPaths paths, TimeProvider time, int cacheEntries = 100_000)
    {
        ArgumentNullException.ThrowIfNull(paths);
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
    }

    public string DatabasePath => _writer.DataSource;

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Execute(connection, "PRAGMA busy_timeout = 30000;");
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction; rolled back if it throws.</summary>
    public T Write<T>(Func<SqliteConnection, SqliteTransaction, T> work)
    {
        lock (_writeLock)
        {
            try
            {
                using var transaction = _writer.BeginTransaction();
                var result = work(_writer, transaction);
                transaction.Commit();
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

    /// <summary>The event writer for one write transaction (inside <see cref="Write"/>).</summary>
    public ExecRowWriter Writer(SqliteConnection c) => new(c, _writeCaches);

    public SessionInfo CreateSession(SqliteConnection c, SqliteTransaction t, string name, string host, string origin, DateTimeOffset started)
    {
        using var command = Command(c, t, "INSERT INTO sessions (name, started_us, ended_us, host, origin) VALUES ($name, $started, NULL, $host, $origin) RETURNING id;");
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

    public void SetSessionSpan(SqliteConnection c, SqliteTransaction t, long id, DateTimeOffset started, DateTimeOffset ended)
    {
        using var command = Command(c, t, "UPDATE sessions SET started_us = $started, ended_us = $ended WHERE id = $id;");
        command.Parameters.AddWithValue("$started", UnixMicros.From(started));
        command.Parameters.AddWithValue("$ended", UnixMicros.From(ended));
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
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

    public void Dispose() => _writer.Dispose();

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
