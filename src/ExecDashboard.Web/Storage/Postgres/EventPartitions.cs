using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// The day partitions of <c>events</c> (UTC days of <c>time_us</c>, named <c>events_dYYYYMMDD</c>):
/// created before a write needs them, dropped whole by retention. Creation runs in a transaction of
/// its own under an advisory lock, so dashboards writing the same new day at once create it once.
/// </summary>
internal sealed class EventPartitions(NpgsqlDataSource dataSource)
{
    private const long MicrosPerDay = 86_400_000_000;
    private const long CreationLock = 0x4578_6563_5061_7274; // "ExecPart"
    private const string Prefix = "events_d";

    private readonly ConcurrentDictionary<long, bool> _known = new();

    public static long DayOf(long timeUs) => timeUs >= 0 ? timeUs / MicrosPerDay : ((timeUs + 1) / MicrosPerDay) - 1;

    /// <summary>Makes sure a partition exists for each day of <paramref name="timesUs"/>.</summary>
    public void Ensure(IEnumerable<long> timesUs)
    {
        var missing = timesUs.Select(DayOf).Distinct().Where(d => !_known.ContainsKey(d)).Order().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        using var c = dataSource.OpenConnection();
        using var t = c.BeginTransaction();
        Execute(c, t, string.Create(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock({CreationLock});"));
        foreach (var day in missing)
        {
            Execute(c, t, string.Create(CultureInfo.InvariantCulture,
                $"CREATE TABLE IF NOT EXISTS {Name(day)} PARTITION OF events FOR VALUES FROM ({day * MicrosPerDay}) TO ({(day + 1) * MicrosPerDay});"));
        }

        t.Commit();
        foreach (var day in missing)
        {
            _known[day] = true;
        }
    }

    /// <summary>Forgets what it knew: another dashboard's retention may have dropped a partition.</summary>
    public void Forget() => _known.Clear();

    /// <summary>Drops every partition whose whole day lies before <paramref name="cutoffUs"/>; returns the events they held.</summary>
    public long DropBefore(long cutoffUs)
    {
        using var c = dataSource.OpenConnection();
        var expired = new List<(string Name, long Day)>();
        using (var list = new NpgsqlCommand("""
            SELECT child.relname FROM pg_inherits
            JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            JOIN pg_namespace n ON n.oid = parent.relnamespace
            WHERE parent.relname = 'events' AND n.nspname = current_schema();
            """, c))
        using (var r = list.ExecuteReader())
        {
            while (r.Read())
            {
                var name = r.GetString(0);
                if (name.StartsWith(Prefix, StringComparison.Ordinal)
                    && DateOnly.TryParseExact(name[Prefix.Length..], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                {
                    var day = date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
                    if ((day + 1) * MicrosPerDay <= cutoffUs)
                    {
                        expired.Add((name, day));
                    }
                }
            }
        }

        long events = 0;
        foreach (var (name, day) in expired)
        {
            using var t = c.BeginTransaction();

            // Dropping a partition locks the whole events table for a moment; rather than queue
            // every read and write behind a long-running one, give up on this day until the next pass.
            Execute(c, t, "SET LOCAL lock_timeout = '5s';");

            // Events of an import in progress stay until it finishes or is removed: not dropped under it.
            using (var busy = new NpgsqlCommand($"SELECT COUNT(*) FILTER (WHERE session_id IN (SELECT id FROM sessions WHERE importing)), COUNT(*) FROM {name};", c, t))
            using (var r = busy.ExecuteReader())
            {
                r.Read();
                if (r.GetInt64(0) > 0)
                {
                    continue;
                }

                events += r.GetInt64(1);
            }

            try
            {
                Execute(c, t, $"DROP TABLE {name};");
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                continue;
            }

            t.Commit();
            _known.TryRemove(day, out _);
        }

        return events;
    }

    private static string Name(long day) =>
        Prefix + DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + (int)day).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static void Execute(NpgsqlConnection c, NpgsqlTransaction t, string sql)
    {
        using var command = new NpgsqlCommand(sql, c, t);
        command.ExecuteNonQuery();
    }
}
