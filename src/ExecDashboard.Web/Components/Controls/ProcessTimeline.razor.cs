using System.Globalization;
using ExecDashboard.Domain;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Timelines;
using ExecDashboard.Web.Components.Model;
using Microsoft.AspNetCore.Components;

namespace ExecDashboard.Web.Components.Controls;

/// <summary>
/// Horizontal bars on a time axis, zoomed and panned by buttons (the view is a window over the
/// lanes' whole range, kept while new spans arrive). Bars are SVG rects in a fixed coordinate
/// space stretched to the width, so the browser measures nothing per bar; a lane's processes that
/// would be drawn closer than a bar's least width are one bar (<see cref="TimelineBars"/>), so the
/// number of elements follows the width, not the number of processes. A lane of repeats is taller
/// and its bars rise with their duration: runs that take longer and longer make a ramp.
/// </summary>
public sealed partial class ProcessTimeline
{
    private const double Width = 1000;

    // Thinner than this a bar is still drawn, so a 2 ms expr among 10 s runs does not vanish; and
    // bars closer than this are merged, so none is drawn over another.
    private const double MinBarWidth = 1.5;

    /// <summary>Bars drawn in all lanes together at most (about): past it, bars merge over wider gaps.</summary>
    internal const int MaxBars = 3_000;

    private const double LaneHeight = 14;
    private const double RepeatsHeight = 30;
    private const double MinRise = 3;

    private DateTimeOffset _start;
    private DateTimeOffset _end;

    // The window as fractions of the whole range; 0..1 is everything.
    private double _from;
    private double _to = 1;

    private IReadOnlyList<Row> _rows = [];
    private IReadOnlyList<Tick> _ticks = [];
    private int _barCount;

    [Parameter, EditorRequired]
    public required TimelineLaneSet Lanes { get; set; }

    [Parameter]
    public EventCallback<ProcessKey> OnOpen { get; set; }

    private DateTimeOffset ViewStart => _start + (_end - _start) * _from;

    private DateTimeOffset ViewEnd => _start + (_end - _start) * _to;

    private string RangeText => _rows.Count == 0
        ? string.Empty
        : string.Create(CultureInfo.InvariantCulture, $"{ViewStart.UtcDateTime:HH:mm:ss.fff} – {ViewEnd.UtcDateTime:HH:mm:ss.fff} UTC ({DurationText.Short(ViewEnd - ViewStart)} shown, {CountText.Of(_barCount)} bars for {CountText.Of(_rows.Sum(r => r.Lane.Spans.Count))} processes)");

    /// <summary>Said under the lanes when the tree has more than they show: which part is missing and how to reach it.</summary>
    private string? CutText => Lanes.IsCut
        ? $"Showing the first {CountText.Of(Lanes.Shown.Count)} of {CountText.Of(Lanes.Total)} lanes, in tree order; open a process further down to see the lanes of its own descendants."
        : null;

    protected override void OnParametersSet()
    {
        var spans = Lanes.Shown.SelectMany(l => l.Spans).ToList();
        if (spans.Count == 0)
        {
            _rows = [];
            _barCount = 0;
            return;
        }

        _start = spans.Min(s => s.Start);
        _end = spans.Max(s => s.End);
        if (_end <= _start)
        {
            _end = _start + TimeSpan.FromMilliseconds(1);
        }

        Layout();
    }

    private void Zoom(double factor)
    {
        var centre = (_from + _to) / 2;
        var half = Math.Clamp((_to - _from) * factor / 2, 1e-6, 0.5);
        _from = Math.Clamp(centre - half, 0, 1 - (2 * half));
        _to = _from + (2 * half);
        Layout();
    }

    private void Pan(double fraction)
    {
        var shift = (_to - _from) * fraction;
        shift = Math.Clamp(shift, -_from, 1 - _to);
        _from += shift;
        _to += shift;
        Layout();
    }

    private void Fit()
    {
        _from = 0;
        _to = 1;
        Layout();
    }

    /// <summary>One process opens; a merged bar is zoomed into (with a margin) until its processes part.</summary>
    private Task Click(TimelineBar bar)
    {
        if (bar.Single is { } span)
        {
            return OnOpen.InvokeAsync(span.Key);
        }

        var whole = (_end - _start).TotalMilliseconds;
        var margin = Math.Max((bar.End - bar.Start).TotalMilliseconds * 0.1, whole * 1e-6);
        _from = Math.Clamp(((bar.Start - _start).TotalMilliseconds - margin) / whole, 0, 1);
        _to = Math.Clamp(((bar.End - _start).TotalMilliseconds + margin) / whole, _from + 1e-6, 1);
        Layout();
        return Task.CompletedTask;
    }

    /// <summary>
    /// The bars of every lane in the window: merged over a bar's least width, or over wider gaps
    /// while they are more than <see cref="MaxBars"/> (a wide tree of many busy lanes).
    /// </summary>
    private void Layout()
    {
        var from = ViewStart;
        var to = ViewEnd;
        var perUnit = (to - from) / Width;
        var gapUnits = MinBarWidth;
        List<Row> rows;
        do
        {
            var gap = perUnit * gapUnits;
            rows = [.. Lanes.Shown.Select(lane => Row.Of(lane, TimelineBars.In(lane, from, to, gap)))];
            gapUnits *= 2;
        }
        while (rows.Sum(r => r.Bars.Count) > MaxBars && gapUnits < Width / 4);

        _rows = rows;
        _barCount = rows.Sum(r => r.Bars.Count);
        _ticks = Tick.Across(from, to, _start);
    }

    private (double X, double W) Place(TimelineBar bar)
    {
        var range = (ViewEnd - ViewStart).TotalMilliseconds;
        var x = (bar.Start - ViewStart).TotalMilliseconds / range * Width;
        var right = (bar.End - ViewStart).TotalMilliseconds / range * Width;
        x = Math.Max(x, 0);
        right = Math.Min(right, Width);
        return (x, Math.Max(right - x, MinBarWidth));
    }

    /// <summary>Full height in a lane of one process; in a lane of repeats, as high as its duration is long beside the lane's longest.</summary>
    private static (double Y, double H) Rise(Row row, TimelineBar bar)
    {
        if (!row.Repeats)
        {
            return (2, LaneHeight - 4);
        }

        var room = RepeatsHeight - 4;
        var share = row.Longest > TimeSpan.Zero ? bar.Longest / row.Longest : 1;
        var h = Math.Max(MinRise, room * share);
        return (RepeatsHeight - 2 - h, h);
    }

    private static string BarClass(TimelineBar bar) => bar.Kind switch
    {
        TimelineBarKind.Open => "tl-bar tl-open",
        TimelineBarKind.Failed => "tl-bar tl-failed",
        _ => "tl-bar",
    };

    private static string Tooltip(TimelineBar bar)
    {
        if (bar.Single is not { } span)
        {
            var ended = bar.Kind switch
            {
                TimelineBarKind.Failed => "each ended badly",
                TimelineBarKind.Open => "ends not known",
                _ => "each exited 0",
            };
            return string.Create(CultureInfo.InvariantCulture, $"{CountText.Of(bar.Count)} processes, {bar.Start.UtcDateTime:HH:mm:ss.fff} – {bar.End.UtcDateTime:HH:mm:ss.fff} UTC, the longest ran {DurationText.Short(bar.Longest)}, {ended}\nClick to zoom in");
        }

        var name = span.Exe.Length == 0 ? "?" : span.Exe;
        var args = span.Argv.Count > 1 ? $" [{string.Join(' ', span.Argv.Skip(1))}]" : string.Empty;
        var end = span.Ended is { } e
            ? $"ran {DurationText.Short(e.Duration)}, {(e.Status.Signal is null ? "exit" : "killed by")} {e.Status}"
            : $"end not known; seen for {DurationText.Short(span.Duration)}";
        return string.Create(CultureInfo.InvariantCulture, $"{name}({span.Pid}){args}\n{span.Start.UtcDateTime:HH:mm:ss.fff} UTC, {end}");
    }

    private static string Indent(TimelineLane lane) => string.Create(CultureInfo.InvariantCulture, $"padding-left: {Math.Min(lane.Depth, 12) * 12}px");

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);


    /// <summary>One lane as drawn: its bars in the window and, for repeats, how long the shortest and longest ran.</summary>
    private sealed record Row(TimelineLane Lane, IReadOnlyList<TimelineBar> Bars, TimeSpan Shortest, TimeSpan Longest)
    {
        public bool Repeats => Lane.Spans.Count > 1;

        public double Height => Repeats ? RepeatsHeight : LaneHeight;

        /// <summary><c>1 ms – 448 ms</c>: the spread of a lane of repeats, the growth the bars' heights draw.</summary>
        public string? Durations => !Repeats ? null
            : DurationText.Short(Shortest) == DurationText.Short(Longest) ? $"{DurationText.Short(Longest)} each"
            : $"{DurationText.Short(Shortest)} – {DurationText.Short(Longest)}";

        public string Title => Durations is { } d ? $"{Lane.Label}, ran {d}; bars rise with how long each ran" : Lane.Label;

        public static Row Of(TimelineLane lane, IReadOnlyList<TimelineBar> bars)
        {
            var shortest = TimeSpan.MaxValue;
            var longest = TimeSpan.Zero;
            foreach (var span in lane.Spans)
            {
                shortest = span.Duration < shortest ? span.Duration : shortest;
                longest = span.Duration > longest ? span.Duration : longest;
            }

            return new Row(lane, bars, shortest, longest);
        }
    }

    /// <summary>A label on the time axis: time since the timeline's start, at a round step.</summary>
    private sealed record Tick(string Text, string Style)
    {
        private const double MaxLeft = 94;
        private static readonly double[] Steps = [1, 2, 5];

        public static IReadOnlyList<Tick> Across(DateTimeOffset from, DateTimeOffset to, DateTimeOffset origin)
        {
            var range = (to - from).TotalMilliseconds;
            var step = RoundStep(range / 6);
            var first = Math.Ceiling((from - origin).TotalMilliseconds / step) * step;
            var ticks = new List<Tick>();
            for (var at = first; at <= (to - origin).TotalMilliseconds && ticks.Count < 12; at += step)
            {
                var left = ((at - (from - origin).TotalMilliseconds) / range) * 100;
                if (left > MaxLeft)
                {
                    break; // its label would be cut at the edge
                }

                ticks.Add(new Tick(Label(TimeSpan.FromMilliseconds(at)), string.Create(CultureInfo.InvariantCulture, $"left: {left:0.##}%")));
            }

            return ticks;
        }

        /// <summary><c>0</c>, <c>+200 ms</c>, <c>+1.5 s</c>, <c>+80 s</c>, <c>+12 min</c>: short enough for a tick.</summary>
        private static string Label(TimeSpan offset) => offset.TotalMilliseconds switch
        {
            0 => "0",
            < 1000 => string.Create(CultureInfo.InvariantCulture, $"+{offset.TotalMilliseconds:0.###} ms"),
            < 600_000 => string.Create(CultureInfo.InvariantCulture, $"+{offset.TotalSeconds:0.###} s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"+{offset.TotalMinutes:0.#} min"),
        };

        private static double RoundStep(double rough)
        {
            var magnitude = Math.Pow(10, Math.Floor(Math.Log10(Math.Max(rough, 1e-3))));
            foreach (var m in Steps)
            {
                if (m * magnitude >= rough)
                {
                    return m * magnitude;
                }
            }

            return 10 * magnitude;
        }
    }
}
