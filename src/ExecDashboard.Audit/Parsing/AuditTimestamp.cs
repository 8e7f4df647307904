using System.Globalization;

namespace ExecDashboard.Audit.Parsing;

/// <summary>The <c>seconds.millis</c> of an <c>audit(...)</c> header: kernel time, UTC.</summary>
public readonly record struct AuditTimestamp(ulong Seconds, ushort Milliseconds) : IComparable<AuditTimestamp>
{
    public long TotalMilliseconds => (long)Math.Min(Seconds, (ulong)long.MaxValue / 2000) * 1000 + Milliseconds;

    public DateTimeOffset ToDateTimeOffset()
    {
        var ms = TotalMilliseconds;
        return ms > 253402300799999 ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(ms);
    }

    public int CompareTo(AuditTimestamp other) => TotalMilliseconds.CompareTo(other.TotalMilliseconds);

    public static bool operator <(AuditTimestamp left, AuditTimestamp right) => left.CompareTo(right) < 0;

    public static bool operator >(AuditTimestamp left, AuditTimestamp right) => left.CompareTo(right) > 0;

    public static bool operator <=(AuditTimestamp left, AuditTimestamp right) => left.CompareTo(right) <= 0;

    public static bool operator >=(AuditTimestamp left, AuditTimestamp right) => left.CompareTo(right) >= 0;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Seconds}.{Milliseconds:D3}");
}
