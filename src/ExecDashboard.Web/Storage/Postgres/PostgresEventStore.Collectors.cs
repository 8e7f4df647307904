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

            foreach (var s in collectors)
            {
                using var row = Command(c, t, $"""
                    INSERT INTO collector_status ({StatusColumns}) VALUES (@id, @r, @host, @token, @connected, @seen, @rate, @lost, @gaps,
                        @malformed, @queue, @spool, @stored, @dups, @rejected, @seq, @rejection)
                    ON CONFLICT (collector_id, replica) DO UPDATE SET host = excluded.host, token_name = excluded.token_name,
                        connected = excluded.connected, last_seen_us = excluded.last_seen_us, events_per_sec = excluded.events_per_sec,
                        kernel_lost = excluded.kernel_lost, serial_gaps = excluded.serial_gaps, malformed = excluded.malformed,
                        queue_drops = excluded.queue_drops, spool_drops = excluded.spool_drops, events_stored = excluded.events_stored,
                        duplicates = excluded.duplicates, batches_rejected = excluded.batches_rejected,
                        durable_batch_seq = excluded.durable_batch_seq, last_rejection = excluded.last_rejection;
                    """);
                var p = row.Parameters;
                p.AddWithValue("id", s.CollectorId);
                p.AddWithValue("r", Replica);
                p.AddWithValue("host", s.Host);
                p.AddWithValue("token", (object?)s.TokenName ?? DBNull.Value);
                p.AddWithValue("connected", s.Connected);
                p.AddWithValue("seen", UnixMicros.From(s.LastSeen));
                p.AddWithValue("rate", s.EventsPerSec);
                p.AddWithValue("lost", (object?)s.KernelLost ?? DBNull.Value);
                p.AddWithValue("gaps", s.SerialGaps);
                p.AddWithValue("malformed", s.Malformed);
                p.AddWithValue("queue", s.QueueDrops);
                p.AddWithValue("spool", s.SpoolDrops);
                p.AddWithValue("stored", s.EventsStored);
                p.AddWithValue("dups", s.Duplicates);
                p.AddWithValue("rejected", s.BatchesRejected);
                p.AddWithValue("seq", s.DurableBatchSeq);
                p.AddWithValue("rejection", (object?)s.LastRejection ?? DBNull.Value);
                row.ExecuteNonQuery();
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
