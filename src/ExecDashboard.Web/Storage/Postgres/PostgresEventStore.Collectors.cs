using ExecDashboard.Web.Fleet;
using ExecDashboard.Web.Ingest;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>The fleet's collectors: each replica writes the ones it saw, every replica reads them all.</summary>
internal sealed partial class PostgresEventStore : ICollectorDirectory
{
    private const string StatusColumns = """
        collector_id, replica, host, token_name, connected, last_seen_us, events_per_sec, kernel_lost, serial_gaps, malformed,
        queue_drops, spool_drops, events_stored, duplicates, batches_rejected, durable_batch_seq, last_rejection
        """;

    /// <summary>
    /// This replica's heartbeat, and (when <paramref name="collectors"/> is not null) its collectors'
    /// rows, replaced in one transaction; then a notice so the other replicas read them at once.
    /// </summary>
    public void Publish(IReadOnlyList<CollectorState>? collectors, DateTimeOffset now)
    {
        Write((c, t) =>
        {
            using (var beat = Command(c, t, "INSERT INTO replicas (name, heartbeat_us) VALUES (@r, @now) ON CONFLICT (name) DO UPDATE SET heartbeat_us = excluded.heartbeat_us;"))
            {
                beat.Parameters.AddWithValue("r", Replica);
                beat.Parameters.AddWithValue("now", UnixMicros.From(now));
                beat.ExecuteNonQuery();
            }

            if (collectors is null)
            {
                return 0;
            }

            // One statement for all of them, columns as arrays: a thousand collectors cost one round trip.
            using (var rows = Command(c, t, $"""
                INSERT INTO collector_status ({StatusColumns})
                SELECT id, @r, host, token, connected, seen, rate, lost, gaps, malformed, queue, spool, stored, dups, rejected, seq, rejection
                FROM unnest(@id, @host, @token, @connected, @seen, @rate, @lost, @gaps, @malformed, @queue, @spool, @stored, @dups, @rejected, @seq, @rejection)
                    AS u (id, host, token, connected, seen, rate, lost, gaps, malformed, queue, spool, stored, dups, rejected, seq, rejection)
                ON CONFLICT (collector_id, replica) DO UPDATE SET host = excluded.host, token_name = excluded.token_name,
                    connected = excluded.connected, last_seen_us = excluded.last_seen_us, events_per_sec = excluded.events_per_sec,
                    kernel_lost = excluded.kernel_lost, serial_gaps = excluded.serial_gaps, malformed = excluded.malformed,
                    queue_drops = excluded.queue_drops, spool_drops = excluded.spool_drops, events_stored = excluded.events_stored,
                    duplicates = excluded.duplicates, batches_rejected = excluded.batches_rejected,
                    durable_batch_seq = excluded.durable_batch_seq, last_rejection = excluded.last_rejection;
                """))
            {
                var p = rows.Parameters;
                p.AddWithValue("r", Replica);
                p.AddWithValue("id", collectors.Select(s => s.CollectorId).ToArray());
                p.AddWithValue("host", collectors.Select(s => s.Host).ToArray());
                p.AddWithValue("token", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, collectors.Select(s => s.TokenName).ToArray());
                p.AddWithValue("connected", collectors.Select(s => s.Connected).ToArray());
                p.AddWithValue("seen", collectors.Select(s => UnixMicros.From(s.LastSeen)).ToArray());
                p.AddWithValue("rate", collectors.Select(s => s.EventsPerSec).ToArray());
                p.AddWithValue("lost", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Bigint, collectors.Select(s => s.KernelLost).ToArray());
                p.AddWithValue("gaps", collectors.Select(s => s.SerialGaps).ToArray());
                p.AddWithValue("malformed", collectors.Select(s => s.Malformed).ToArray());
                p.AddWithValue("queue", collectors.Select(s => s.QueueDrops).ToArray());
                p.AddWithValue("spool", collectors.Select(s => s.SpoolDrops).ToArray());
                p.AddWithValue("stored", collectors.Select(s => s.EventsStored).ToArray());
                p.AddWithValue("dups", collectors.Select(s => s.Duplicates).ToArray());
                p.AddWithValue("rejected", collectors.Select(s => s.BatchesRejected).ToArray());
                p.AddWithValue("seq", collectors.Select(s => s.DurableBatchSeq).ToArray());
                p.AddWithValue("rejection", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, collectors.Select(s => s.LastRejection).ToArray());
                rows.ExecuteNonQuery();
            }

            using var notify = Command(c, t, "SELECT pg_notify(@channel, @r);");
            notify.Parameters.AddWithValue("channel", ExecBatchNotice.CollectorsChannel);
            notify.Parameters.AddWithValue("r", Replica);
            notify.ExecuteNonQuery();
            return 0;
        });
    }

    /// <summary>
    /// Every replica's rows; a row counts as connected only while its replica's heartbeat is newer
    /// than <paramref name="aliveAfter"/> (a replica killed outright cannot say its collectors left).
    /// </summary>
    public IReadOnlyList<CollectorState> ReadFleet(DateTimeOffset aliveAfter) =>
        Read($"""
            SELECT s.collector_id, s.replica, s.host, s.token_name, s.connected AND COALESCE(r.heartbeat_us > @alive, false), s.last_seen_us,
                   s.events_per_sec, s.kernel_lost, s.serial_gaps, s.malformed, s.queue_drops, s.spool_drops, s.events_stored,
                   s.duplicates, s.batches_rejected, s.durable_batch_seq, s.last_rejection
            FROM collector_status s LEFT JOIN replicas r ON r.name = s.replica
            ORDER BY s.collector_id, s.replica;
            """,
            r => new CollectorState
            {
                CollectorId = r.GetString(0),
                Replica = r.GetString(1),
                Host = r.GetString(2),
                TokenName = r.IsDBNull(3) ? null : r.GetString(3),
                Connected = r.GetBoolean(4),
                LastSeen = UnixMicros.ToTime(r.GetInt64(5)),
                EventsPerSec = r.GetDouble(6),
                KernelLost = r.IsDBNull(7) ? null : r.GetInt64(7),
                SerialGaps = r.GetInt64(8),
                Malformed = r.GetInt64(9),
                QueueDrops = r.GetInt64(10),
                SpoolDrops = r.GetInt64(11),
                EventsStored = r.GetInt64(12),
                Duplicates = r.GetInt64(13),
                BatchesRejected = r.GetInt64(14),
                DurableBatchSeq = r.GetInt64(15),
                LastRejection = r.IsDBNull(16) ? null : r.GetString(16),
            },
            ("alive", UnixMicros.From(aliveAfter)));
}
