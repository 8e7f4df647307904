using System.Globalization;
using ExecDashboard.Web.Components.Controls;

namespace ExecDashboard.Web.Components.Model;

/// <summary>Short durations as the lifetime views need them: an <c>expr</c> takes milliseconds, a sendmail run hundreds, a build minutes.</summary>
public static class DurationText
{
    /// <summary><c>0.5 ms</c>, <c>449 ms</c>, <c>1.25 s</c>, then <see cref="LifetimeSummary"/>'s minutes and hours.</summary>
    public static string Short(TimeSpan d) => d.TotalMilliseconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0.#} ms"),
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{d.TotalMilliseconds:0} ms"),
        < 60_000 => string.Create(CultureInfo.InvariantCulture, $"{d.TotalSeconds:0.##} s"),
        _ => LifetimeSummary.Duration(d),
    };
}
