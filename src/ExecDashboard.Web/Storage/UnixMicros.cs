namespace ExecDashboard.Web.Storage;

/// <summary>SQLite stores instants as integer microseconds since the Unix epoch.</summary>
internal static class UnixMicros
{
    public static long From(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    public static DateTimeOffset ToTime(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * TimeSpan.TicksPerMicrosecond);
}
