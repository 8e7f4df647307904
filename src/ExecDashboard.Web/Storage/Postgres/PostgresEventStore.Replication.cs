using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// What replicas sharing the database need from each other: the live events another replica
/// committed, read by the range its <see cref="ExecBatchNotice"/> named, or, after the listening
/// connection was away, every live event above a mark. These run on the listener's own connection.
/// </summary>
internal sealed partial class PostgresEventStore
{
    /// <summary>This dashboard's name among the replicas; its own notices are skipped by its listener.</summary>
    public string Replica { get; }

    /// <summary>The connection string the listener opens its dedicated connection with.</summary>
    public string ListenConnectionString { get; }

    /// <summary>
    /// The live events of one noticed batch: an id range within a time span, so the query prunes
    /// to the batch's day partitions and seeks their primary key (id, time_us). Other batches' ids
    /// can interleave with this one's (ids come from one sequence drawn concurrently): the reader
    /// skips what it has already, and the notices of those batches follow.
    /// </summary>
    public static List<StoredExec> ReadNoticed(NpgsqlConnection c, ExecBatchNotice notice)
    {
        using var command = new NpgsqlCommand($"""
            SELECT {PostgresRows.EventColumns} FROM events e
            WHERE e.id BETWEEN @first AND @last AND e.time_us BETWEEN @t0 AND @t1 AND e.origin = 0
            ORDER BY e.id;
            """, c);
        command.Parameters.AddWithValue("first", notice.FirstId);
        command.Parameters.AddWithValue("last", notice.LastId);
        command.Parameters.AddWithValue("t0", notice.FirstTimeUs);
        command.Parameters.AddWithValue("t1", notice.LastTimeUs);
        return ReadAll(command, PostgresRows.ReadEvent);
    }

    /// <summary>Ids of live events above <paramref name="afterId"/>, ascending (an index-only scan of <c>events_live</c>).</summary>
    public static List<long> ReadLiveIdsAfter(NpgsqlConnection c, long afterId)
    {
        using var command = new NpgsqlCommand("SELECT e.id FROM events e WHERE e.origin = 0 AND e.id > @after ORDER BY e.id;", c);
        command.Parameters.AddWithValue("after", afterId);
        return ReadAll(command, r => r.GetInt64(0));
    }

    /// <summary>The live events with these ids, ascending.</summary>
    public static List<StoredExec> ReadLiveEvents(NpgsqlConnection c, long[] ids)
    {
        using var command = new NpgsqlCommand($"SELECT {PostgresRows.EventColumns} FROM events e WHERE e.origin = 0 AND e.id = ANY(@ids) ORDER BY e.id;", c);
        command.Parameters.AddWithValue("ids", ids);
        return ReadAll(command, PostgresRows.ReadEvent);
    }
}
