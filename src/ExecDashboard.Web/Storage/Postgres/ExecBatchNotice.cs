using System.Globalization;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// What a replica tells the others when a live batch commits: where its new events are, never the
/// events themselves (a NOTIFY payload holds at most 8000 bytes; a batch can hold megabytes). The
/// time span lets the reader's range query prune day partitions; the count lets it check it read
/// them all. Sent with <c>pg_notify</c> inside the batch's own transaction, so the notice is
/// delivered exactly when (and only if) the batch commits, in commit order.
/// </summary>
internal sealed record ExecBatchNotice(string Replica, long SessionId, long FirstId, long LastId, long FirstTimeUs, long LastTimeUs, int Count)
{
    /// <summary>The channel of committed live batches.</summary>
    public const string Channel = "execdash_execs";

    /// <summary>The channel of collector status changes (payload: the replica that wrote them).</summary>
    public const string CollectorsChannel = "execdash_collectors";

    /// <summary>The notice of <paramref name="stored"/> (not empty), written by <paramref name="replica"/>.</summary>
    public static ExecBatchNotice Of(string replica, long sessionId, IReadOnlyList<StoredExec> stored) => new(
        replica,
        sessionId,
        stored.Min(s => s.Id),
        stored.Max(s => s.Id),
        stored.Min(s => UnixMicros.From(s.Event.Exec.Time)),
        stored.Max(s => UnixMicros.From(s.Event.Exec.Time)),
        stored.Count);

    /// <summary>Numbers first, the replica's name last: it may hold any character, spaces included.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{Count} {SessionId} {FirstId} {LastId} {FirstTimeUs} {LastTimeUs} {Replica}");

    public static ExecBatchNotice? TryParse(string payload)
    {
        var parts = payload.Split(' ', 7);
        if (parts.Length != 7)
        {
            return null;
        }

        var n = new long[6];
        for (var i = 0; i < 6; i++)
        {
            if (!long.TryParse(parts[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n[i]))
            {
                return null;
            }
        }

        return new ExecBatchNotice(parts[6], n[1], n[2], n[3], n[4], n[5], (int)n[0]);
    }

    /// <summary>Queues the notice in <paramref name="t"/>: PostgreSQL delivers it at commit, drops it at rollback.</summary>
    public void Publish(NpgsqlConnection c, NpgsqlTransaction t)
    {
        using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload);", c, t);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", Format());
        command.ExecuteNonQuery();
    }
}
