using System.Globalization;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Web.Fleet;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// The PostgreSQL engine: a pooled <see cref="NpgsqlDataSource"/> (size from
/// <c>Dashboard:StorePoolSize</c>), migrations under an advisory lock at start, binary COPY for
/// writes, events partitioned by day. Each operation is one transaction on a connection of its
/// own; concurrency is the server's (MVCC), so unlike SQLite nothing here serializes writers.
/// </summary>
internal sealed partial class PostgresEventStore : IStoreEngine
{
    private const int RowsPerDelete = 2048;

    /// <summary>Tables the dashboard reads and writes: a role that lacks a right on one is refused at start.</summary>
    private static readonly string[] Tables = ["sessions", "collectors", "gaps", "processes", "events", "replicas", "collector_status"];

    private readonly NpgsqlDataSource _dataSource;
    private readonly EventPartitions _partitions;

    /// <summary>Opens the data source, checks the server, migrates; throws <see cref="StoreUnavailableException"/> with one sentence.</summary>
    /// <param name="connectionString">Npgsql syntax.</param>
    /// <param name="poolSize">Most connections at once.</param>
    /// <param name="replica">This dashboard's name among the replicas sharing the database (default: machine and process id).</param>
    public PostgresEventStore(string connectionString, int poolSize, string? replica = null)
    {
        Replica = string.IsNullOrWhiteSpace(replica) ? ReplicaNames.Default() : replica;
        ListenConnectionString = connectionString;
        var target = new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = poolSize };
        target.ApplicationName ??= "ExecDashboard";
        _dataSource = NpgsqlDataSource.Create(target);
        _partitions = new EventPartitions(_dataSource);
        try
        {
            PostgresSchema.Apply(_dataSource);
            CheckRights(target);
        }
        catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
        {
            _dataSource.Dispose();
            throw new StoreUnavailableException(PostgresErrors.Describe(ex, target), ex);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    public string Name => StoreEngines.Postgres;

    public int SchemaVersion => PostgresSchema.LatestVersion;

    public bool IsTransient(Exception error) => PostgresErrors.IsTransient(error);

    public IReadOnlyList<StoredExec> StoreCollectorBatch(CollectorBatchWrite batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WithPartitions(batch.Events, () => Write((c, t) =>
        {
            // The collector's row, locked: two dashboards storing batches of one collector count its losses once.
            using (var known = Command(c, t, """
                INSERT INTO collectors (id, host, durable_batch_seq, serial_gaps, kernel_lost, last_seen_us)
                VALUES (@id, @host, 0, 0, 0, @now) ON CONFLICT (id) DO NOTHING;
                """))
            {
                known.Parameters.AddWithValue("id", batch.CollectorId);
                known.Parameters.AddWithValue("host", batch.Host);
                known.Parameters.AddWithValue("now", UnixMicros.From(batch.Now));
                known.ExecuteNonQuery();
            }

            using (var row = Command(c, t, "SELECT serial_gaps, kernel_lost FROM collectors WHERE id = @id FOR UPDATE;"))
            {
                row.Parameters.AddWithValue("id", batch.CollectorId);
                long previousGaps, previousLost;
                using (var r = row.ExecuteReader())
                {
                    r.Read();
                    (previousGaps, previousLost) = (r.GetInt64(0), r.GetInt64(1));
                }

                var newGaps = batch.SerialGaps - previousGaps;
                var newLost = batch.KernelLost - previousLost;
                if (newGaps > 0 || newLost > 0)
                {
                    InsertGap(c, t, new GapInfo(batch.SessionId, batch.CollectorId, batch.Now, Math.Max(newGaps, 0), Math.Max(newLost, 0)));
                }

                using var update = Command(c, t, """
                    UPDATE collectors SET host = @host, durable_batch_seq = @seq, serial_gaps = GREATEST(serial_gaps, @gaps),
                        kernel_lost = GREATEST(kernel_lost, @lost), last_seen_us = @now WHERE id = @id;
                    """);
                update.Parameters.AddWithValue("id", batch.CollectorId);
                update.Parameters.AddWithValue("host", batch.Host);
                update.Parameters.AddWithValue("seq", batch.BatchSeq);
                update.Parameters.AddWithValue("gaps", batch.SerialGaps);
                update.Parameters.AddWithValue("lost", batch.KernelLost);
                update.Parameters.AddWithValue("now", UnixMicros.From(batch.Now));
                update.ExecuteNonQuery();
            }

            PostgresProcessEnds.Insert(c, t, batch.SessionId, batch.Ends);
            var stored = PostgresEventWriter.Insert(c, t, batch.SessionId, origin: 0, batch.Events);
            if (stored.Count > 0)
            {
                // In this transaction: the other replicas hear of the batch when it commits, never before.
                ExecBatchNotice.Of(Replica, batch.SessionId, stored).Publish(c, t);
            }

            return stored;
        }));
    }

    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadEnds(IReadOnlyCollection<ProcessKey> keys) => PostgresProcessEnds.Read(_dataSource, keys);

    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadSessionEnds(long sessionId) => PostgresProcessEnds.ReadForSession(_dataSource, sessionId);

    public bool BootReportsEnds(string boot) => PostgresProcessEnds.BootReportsEnds(_dataSource, boot);

    public SessionInfo CreateSession(string name, string host, string origin, DateTimeOffset started, bool importing = false) =>
        Write((c, t) =>
        {
            using var command = Command(c, t, "INSERT INTO sessions (name, started_us, ended_us, host, origin, importing) VALUES (@name, @started, NULL, @host, @origin, @importing) RETURNING id;");
            command.Parameters.AddWithValue("name", name);
            command.Parameters.AddWithValue("started", UnixMicros.From(started));
            command.Parameters.AddWithValue("host", host);
            command.Parameters.AddWithValue("origin", origin);
            command.Parameters.AddWithValue("importing", importing);
            var id = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
            return new SessionInfo { Id = id, Name = name, Started = started, Host = host, Origin = origin, EventCount = 0 };
        });

    public void DescribeSession(long id, string name, string host) =>
        Run("UPDATE sessions SET name = @name, host = @host WHERE id = @id;", ("id", id), ("name", name), ("host", host));

    public void EndSession(long id, DateTimeOffset ended) =>
        Run("UPDATE sessions SET ended_us = @ended WHERE id = @id AND ended_us IS NULL;", ("id", id), ("ended", UnixMicros.From(ended)));

    public void CloseOpenSessions() =>
        Run("""
            UPDATE sessions SET ended_us = COALESCE((SELECT MAX(time_us) FROM events WHERE events.session_id = sessions.id), started_us)
            WHERE ended_us IS NULL;
            """);

    public bool RenameSession(long id, string name) =>
        Run("UPDATE sessions SET name = @name WHERE id = @id AND NOT importing;", ("id", id), ("name", name)) == 1;

    public bool DeleteSession(long id) =>
        Write((c, t) =>
        {
            // An import in progress is not the user's to delete: it removes itself if it fails.
            using (var visible = Command(c, t, "SELECT id FROM sessions WHERE id = @id AND NOT importing FOR UPDATE;"))
            {
                visible.Parameters.AddWithValue("id", id);
                if (visible.ExecuteScalar() is null)
                {
                    return false;
                }
            }

            foreach (var sql in new[] { "DELETE FROM events WHERE session_id = @id;", "DELETE FROM gaps WHERE session_id = @id;" })
            {
                using var child = Command(c, t, sql);
                child.Parameters.AddWithValue("id", id);
                child.ExecuteNonQuery();
            }

            using var command = Command(c, t, "DELETE FROM sessions WHERE id = @id;");
            command.Parameters.AddWithValue("id", id);
            return command.ExecuteNonQuery() == 1;
        });

    public long AppendImportChunk(long sessionId, IReadOnlyList<SessionItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var events = items.OfType<SessionEventItem>().Select(i => i.Event).ToList();
        return WithPartitions(events, () => Write((c, t) =>
        {
            // Order within a chunk: events, then the processes listed on their own, then ends and gaps.
            var stored = events.Count == 0 ? 0 : PostgresEventWriter.Insert(c, t, sessionId, origin: sessionId, events).Count;
            var processes = items.OfType<SessionProcessItem>()
                .Where(p => !p.Process.Key.IsNone)
                .Select(p => new ProcessRow(p.Process.Key, p.Process.Ppid, Domain.Processes.ProcessKey.None, p.Process.Exe, p.Process.Argv,
                    p.Process.Provenance, UnixMicros.From(p.Process.FirstSeen), UnixMicros.From(p.Process.LastSeen)))
                .ToList();
            if (processes.Count > 0)
            {
                PostgresEventWriter.MergeProcesses(c, t, processes);
            }

            // Keyed by the process key like a collector's: an end already stored stays as it is.
            PostgresProcessEnds.Insert(c, t, sessionId, items.OfType<SessionExitItem>().Select(x => x.End).ToList());

            foreach (var g in items.OfType<SessionGapItem>())
            {
                InsertGap(c, t, new GapInfo(
                    sessionId,
                    g.Gap.Host,
                    g.Gap.Time,
                    g.Gap.Kind == SessionGapKind.SerialGap ? g.Gap.Count : 0,
                    g.Gap.Kind == SessionGapKind.KernelLost ? g.Gap.Count : 0));
            }

            return (long)stored;
        }));
    }

    public void FinishImport(long id, string name, string host, DateTimeOffset started, DateTimeOffset ended) =>
        Run("UPDATE sessions SET name = @name, host = @host, started_us = @started, ended_us = @ended, importing = false WHERE id = @id;",
            ("id", id), ("name", name), ("host", host), ("started", UnixMicros.From(started)), ("ended", UnixMicros.From(ended)));

    /// <summary>Bounded deletes (each its own transaction), then gaps and the session row last, as in the SQLite engine.</summary>
    public void RemoveImport(long id)
    {
        while (Run($"DELETE FROM events WHERE (id, time_us) IN (SELECT id, time_us FROM events WHERE session_id = @id LIMIT {RowsPerDelete});", ("id", id)) > 0)
        {
        }

        Write((c, t) =>
        {
            // Ends the import stored itself (one the store already had keeps its own session).
            foreach (var sql in new[] { "DELETE FROM gaps WHERE session_id = @id;", "DELETE FROM process_ends WHERE session_id = @id;", "DELETE FROM sessions WHERE id = @id AND importing;" })
            {
                using var command = Command(c, t, sql);
                command.Parameters.AddWithValue("id", id);
                command.ExecuteNonQuery();
            }

            return 0;
        });
    }

    public IReadOnlyList<long> ReadUnfinishedImports() =>
        Read("SELECT id FROM sessions WHERE importing ORDER BY id;", r => r.GetInt64(0));

    /// <summary>
    /// Drops whole day partitions that end before the cutoff (no row-by-row delete, no bloat);
    /// events of a partly expired day stay until the whole day has. Then the emptied sessions go,
    /// with the gaps and the processes nothing has named since.
    /// </summary>
    public RetentionResult RemoveOlderThan(DateTimeOffset cutoff)
    {
        var before = UnixMicros.From(cutoff);
        var events = _partitions.DropBefore(before);
        var sessions = Write((c, t) =>
        {
            const string Expired = """
                SELECT id FROM sessions s WHERE NOT s.importing AND s.ended_us IS NOT NULL AND s.ended_us < @before
                AND NOT EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id)
                """;
            foreach (var sql in new[] { $"DELETE FROM gaps WHERE time_us < @before OR session_id IN ({Expired});", "DELETE FROM processes WHERE last_seen_us < @before;" })
            {
                using var child = Command(c, t, sql);
                child.Parameters.AddWithValue("before", before);
                child.ExecuteNonQuery();
            }

            using var command = Command(c, t, $"DELETE FROM sessions WHERE id IN ({Expired});");
            command.Parameters.AddWithValue("before", before);
            return (long)command.ExecuteNonQuery();
        });
        return new RetentionResult(events, sessions);
    }

    public void Dispose() => _dataSource.Dispose();

    /// <summary>
    /// Runs a write after making sure the partitions of its events exist. If another dashboard's
    /// retention dropped one this dashboard knew of, the insert finds no partition (23514): learn
    /// the partitions again and run it once more.
    /// </summary>
    private T WithPartitions<T>(IReadOnlyList<ExecEvent> events, Func<T> write)
    {
        _partitions.Ensure(events.Select(e => UnixMicros.From(e.Exec.Time)));
        try
        {
            return write();
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.CheckViolation)
        {
            _partitions.Forget();
            _partitions.Ensure(events.Select(e => UnixMicros.From(e.Exec.Time)));
            return write();
        }
    }

    private void CheckRights(NpgsqlConnectionStringBuilder target)
    {
        var missing = Read(
            // One right per call: with a list, has_table_privilege is true when any one is held.
            """
            SELECT t FROM unnest(@tables) WITH ORDINALITY AS u (t, n)
            WHERE NOT (has_table_privilege(t, 'SELECT') AND has_table_privilege(t, 'INSERT')
                AND has_table_privilege(t, 'UPDATE') AND has_table_privilege(t, 'DELETE'))
            ORDER BY n;
            """,
            r => r.GetString(0),
            ("tables", Tables));
        if (missing.Count > 0)
        {
            throw new StoreUnavailableException(
                $"The PostgreSQL role '{target.Username}' may not read and write the dashboard's tables ({string.Join(", ", missing)}) in database '{target.Database}'; grant it SELECT, INSERT, UPDATE and DELETE on them.");
        }
    }

    private static void InsertGap(NpgsqlConnection c, NpgsqlTransaction t, GapInfo gap)
    {
        using var command = Command(c, t, "INSERT INTO gaps (session_id, collector_id, time_us, serial_gaps, kernel_lost) VALUES (@s, @c, @t, @g, @l);");
        command.Parameters.AddWithValue("s", gap.SessionId);
        command.Parameters.AddWithValue("c", gap.CollectorId);
        command.Parameters.AddWithValue("t", UnixMicros.From(gap.Time));
        command.Parameters.AddWithValue("g", gap.SerialGaps);
        command.Parameters.AddWithValue("l", gap.KernelLost);
        command.ExecuteNonQuery();
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on a pooled connection; rolled back if it throws.</summary>
    private T Write<T>(Func<NpgsqlConnection, NpgsqlTransaction, T> work)
    {
        using var c = _dataSource.OpenConnection();
        using var t = c.BeginTransaction();
        var result = work(c, t);
        t.Commit();
        return result;
    }

    private int Run(string sql, params (string Name, object Value)[] parameters)
    {
        using var c = _dataSource.OpenConnection();
        using var command = Command(c, null, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private List<T> Read<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        using var c = _dataSource.OpenConnection();
        using var command = Command(c, null, sql);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return ReadAll(command, read);
    }

    private static List<T> ReadAll<T>(NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static NpgsqlCommand Command(NpgsqlConnection c, NpgsqlTransaction? t, string sql) => new(sql, c, t);
}
