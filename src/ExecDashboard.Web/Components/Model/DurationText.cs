using System.Globalization;

namespace ExecDashboard.Web.Components.Model;

/// <summary>Durations as every view shows them: an <c>expr</c> takes milliseconds, a sendmail run hundreds, a build minutes.</summary>
public static class DurationText
{
    /// <summary><c>0.5 ms</c>, <c>449 ms</c>, <c>1.25 s</c>, <c>4 min 05 s</c>, <c>2 h 03 min</c>.</summary>
    public static string Short(TimeSpan d) => d.TotalMilliseconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0.#} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.##} s"),
        < 3_600_000 => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalMinutes} min {d.Seconds:00} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{(int)d.TotalHours} h {d.Minutes:00} min"),
    };
}
