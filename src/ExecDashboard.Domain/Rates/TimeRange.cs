namespace ExecDashboard.Domain.Rates;

/// <summary>
/// A span of whole seconds, both ends included: the last minute of the live stream, or a stored
/// recording from its first exec to its last (or any part of it).
/// </summary>
public readonly record struct TimeRange
{
    public TimeRange(DateTimeOffset from, DateTimeOffset to)
    {
        FromSecond = from.ToUnixTimeSeconds();
        ToSecond = Math.Max(FromSecond, to.ToUnixTimeSeconds());
    }

    public long FromSecond { get; }

    public long ToSecond { get; }

    public DateTimeOffset From => DateTimeOffset.FromUnixTimeSeconds(FromSecond);

    public DateTimeOffset To => DateTimeOffset.FromUnixTimeSeconds(ToSecond);

    public TimeSpan Length => TimeSpan.FromSeconds(ToSecond - FromSecond + 1);

    /// <summary>The <paramref name="window"/> that ends with the second <paramref name="end"/> falls in.</summary>
    public static TimeRange Ending(DateTimeOffset end, TimeSpan window) =>
        new(end.AddSeconds(-Math.Max(1, Math.Round(window.TotalSeconds)) + 1), end);

    public override string ToString() => $"{From:O} – {To:O}";
}
