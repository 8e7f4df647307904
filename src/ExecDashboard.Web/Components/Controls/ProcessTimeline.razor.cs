using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Timelines;
using Microsoft.AspNetCore.Components;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// Horizontal bars on a time axis, zoomed and panned by buttons (the view is a window over the
/// lanes' whole range, kept while new spans arrive). Bars are SVG rects in a fixed coordinate
/// space stretched to the width, so the browser measures nothing per bar.
/// </summary>
public sealed partial class ProcessTimeline
{
    private const double Width = 1000;

    // Thinner than this a bar is still drawn, so a 2 ms expr among 10 s runs does not vanish.
    private const double MinBarWidth = 1.5;

    private const int MaxBarsPerLane = 5_000;

    private DateTimeOffset _start;
    private DateTimeOffset _end;

    // The window as fractions of the whole range; 0..1 is everything.
    private double _from;
    private double _to = 1;

    [Parameter, EditorRequired]
    public required IReadOnlyList<TimelineLane> Lanes { get; set; }

    [Parameter]
    public EventCallback<ProcessKey> OnOpen { get; set; }

    private DateTimeOffset ViewStart => _start + (_end - _start) * _from;

    private DateTimeOffset ViewEnd => _start + (_end - _start) * _to;

    private string RangeText => Lanes.Count == 0
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"{ViewStart.UtcDateTime:HH:mm:ss.fff} – {ViewEnd.UtcDateTime:HH:mm:ss.fff} UTC ({LifetimeSummary.Duration(ViewEnd - ViewStart)} shown)");

    protected override void OnParametersSet()
    {
        var spans = Lanes.SelectMany(l => l.Spans).ToList();
        if (spans.Count == 0)
        {
            return;
        }

        _start = spans.Min(s => s.Start);
        _end = spans.Max(s => s.End);
        if (_end <= _start)
        {
            _end = _start + TimeSpan.FromMilliseconds(1);
        }
    }

    private void Zoom(double factor)
    {
        var centre = (_from + _to) / 2;
        var half = Math.Clamp((_to - _from) * factor / 2, 1e-6, 0.5);
        _from = Math.Clamp(centre - half, 0, 1 - (2 * half));
        _to = _from + (2 * half);
    }

    private void Pan(double fraction)
    {
        var shift = (_to - _from) * fraction;
        shift = Math.Clamp(shift, -_from, 1 - _to);
        _from += shift;
        _to += shift;
    }

    private void Fit()
    {
        _from = 0;
        _to = 1;
    }

    private IEnumerable<ProcessSpan> Visible(TimelineLane lane)
    {
        var from = ViewStart;
        var to = ViewEnd;
        return lane.Spans.Where(s => s.End >= from && s.Start <= to).Take(MaxBarsPerLane);
    }

    private (double X, double W) Place(ProcessSpan span)
    {
        var range = (ViewEnd - ViewStart).TotalMilliseconds;
        var x = (span.Start - ViewStart).TotalMilliseconds / range * Width;
        var right = (span.End - ViewStart).TotalMilliseconds / range * Width;
        x = Math.Max(x, 0);
        right = Math.Min(right, Width);
        return (x, Math.Max(right - x, MinBarWidth));
    }

    private static string BarClass(ProcessSpan span) => span.Ended switch
    {
        null => "tl-bar tl-open",
        { Status.Failed: true } => "tl-bar tl-failed",
        _ => "tl-bar",
    };

    private static string Tooltip(ProcessSpan span)
    {
        var name = span.Exe.Length == 0 ? "?" : span.Exe;
        var args = span.Argv.Count > 1 ? $" [{string.Join(' ', span.Argv.Skip(1))}]" : string.Empty;
        var end = span.Ended is { } ended
            ? $"ran {LifetimeSummary.Duration(ended.Duration)}, {(ended.Status.Signal is null ? "exit" : "killed by")} {ended.Status}"
            : $"end not known; seen for {LifetimeSummary.Duration(span.Duration)}";
        return string.Create(CultureInfo.InvariantCulture, $"{name}({span.Pid}){args}\n{span.Start.UtcDateTime:HH:mm:ss.fff} UTC, {end}");
    }

    private static string Indent(TimelineLane lane) => string.Create(CultureInfo.InvariantCulture, $"padding-left: {Math.Min(lane.Depth, 12) * 12}px");

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
