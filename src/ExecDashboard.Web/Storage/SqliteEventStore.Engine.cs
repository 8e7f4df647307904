using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The engine seam over the SQLite store: each operation is one <see cref="Write{T}"/> (or, for an
/// import chunk, the short transactions of <see cref="ImportChunk"/>).
/// </summary>
internal sealed partial class SqliteEventStore : IStoreEngine
{
    public string Name => StoreEngines.Sqlite;

    public int SchemaVersion => SchemaMigrations.LatestVersion;

    public IReadOnlyList<StoredExec> StoreCollectorBatch(CollectorBatchWrite batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Write((c, t) =>
        {
            var previous = ReadCollectorCounters(c, t, batch.CollectorId);
            var newGaps = batch.SerialGaps - (previous?.SerialGaps ?? 0);
            var newLost = batch.KernelLost - (previous?.KernelLost ?? 0);
            if (newGaps > 0 || newLost > 0)
            {
                InsertGap(c, t, new GapInfo(batch.SessionId, batch.CollectorId, batch.Now, Math.Max(newGaps, 0), Math.Max(newLost, 0)));
            }

            var writer = Writer(c);
            var inserted = writer.Insert(batch.SessionId, origin: 0, batch.Events);
            ProcessEndRows.Insert(c, t, batch.SessionId, batch.Ends);
            RecordCollector(c, t, batch.CollectorId, batch.Host, batch.BatchSeq,
                Math.Max(batch.SerialGaps, previous?.SerialGaps ?? 0), Math.Max(batch.KernelLost, previous?.KernelLost ?? 0), batch.Now);
            return inserted;
        });
    }

    public SessionInfo CreateSession(string name, string host, string origin, DateTimeOffset started, bool importing = false) =>
        Write((c, t) => CreateSession(c, t, name, host, origin, started, importing));

    public void DescribeSession(long id, string name, string host) =>
        Write((c, t) =>
        {
            DescribeSession(c, t, id, name, host);
            return 0;
        });

    public void EndSession(long id, DateTimeOffset ended) =>
        Write((c, t) =>
        {
            EndSession(c, t, id, ended);
            return 0;
        });

    public long AppendImportChunk(long sessionId, IReadOnlyList<SessionItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var chunk = new ImportChunk(this, _time, sessionId);
        foreach (var item in items)
        {
            chunk.Add(item);
        }

        chunk.Write();
        return chunk.Stored;
    }

    public void FinishImport(long id, string name, string host, DateTimeOffset started, DateTimeOffset ended) =>
        Write((c, t) =>
        {
            DescribeSession(c, t, id, name, host);
            FinishImport(c, t, id, started, ended);
            return 0;
        });

    /// <summary>
    /// A DELETE in bounded steps (SQLite has no partitions to drop), each its own transaction so
    /// live batches interleave; events have no time index, so each step scans, which an hourly pass affords.
    /// </summary>
    public RetentionResult RemoveOlderThan(DateTimeOffset cutoff)
    {
        var before = UnixMicros.From(cutoff);
        long events = 0;
        int removed;
        do
        {
            removed = Write(
                (c, t) =>
                {
                    using var command = Command(c, t, """
                        DELETE FROM events WHERE id IN (
                            SELECT id FROM events WHERE time_us < $before
                            AND session_id NOT IN (SELECT id FROM sessions WHERE importing = 1) LIMIT $max);
                        """);
                    command.Parameters.AddWithValue("$before", before);
                    command.Parameters.AddWithValue("$max", ImportChunk.MaxItems);
                    return command.ExecuteNonQuery();
                },
                afterWaitingWriters: true);
            events += removed;
        }
        while (removed > 0);

        var sessions = Write((c, t) =>
        {
            const string Expired = """
                SELECT id FROM sessions s WHERE s.importing = 0 AND s.ended_us IS NOT NULL AND s.ended_us < $before
                AND NOT EXISTS (SELECT 1 FROM events e WHERE e.session_id = s.id)
                """;
            using (var gaps = Command(c, t, $"DELETE FROM gaps WHERE time_us < $before OR session_id IN ({Expired});"))
            {
                gaps.Parameters.AddWithValue("$before", before);
                gaps.ExecuteNonQuery();
            }

            using var command = Command(c, t, $"DELETE FROM sessions WHERE id IN ({Expired});");
            command.Parameters.AddWithValue("$before", before);
            return command.ExecuteNonQuery();
        });
        return new RetentionResult(events, sessions);
    }

    /// <summary>A local file is never "away for now": its errors are real ones.</summary>
    public bool IsTransient(Exception error) => false;

    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadEnds(IReadOnlyCollection<ProcessKey> keys)
    {
        using var c = Open();
        return ProcessEndRows.Read(c, keys);
    }

    public IReadOnlyDictionary<ProcessKey, ProcessEnd> ReadSessionEnds(long sessionId)
    {
        using var c = Open();
        return ProcessEndRows.ReadForSession(c, sessionId);
    }

    public bool BootReportsEnds(string boot)
    {
        using var c = Open();
        return ProcessEndRows.BootReportsEnds(c, boot);
    }
}
