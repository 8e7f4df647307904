namespace ExecDashboard.Domain.Timelines;

/// <summary>
/// The bars of one lane in a time window, merged so their number stays bounded: processes of the
/// same kind (ended, failed, open) whose bars would be drawn less than <c>mergeGap</c> apart become
/// one bar with a count. The sendmail loop's 25,200 <c>expr</c>s are one bar per run at full
/// view and single bars again when zoomed in; a browser asked to draw every one as an SVG element
/// (with its tooltip) spends seconds on it, and the eye could not tell them apart anyway.
/// </summary>
public static class TimelineBars
{
    /// <summary>
    /// Bars of <paramref name="lane"/> that overlap [<paramref name="from"/>, <paramref name="to"/>],
    /// merging spans of one kind whose gap is under <paramref name="mergeGap"/>. At most about
    /// <c>3 × (to − from) / mergeGap</c> bars, whatever the number of spans.
    /// </summary>
    public static IReadOnlyList<TimelineBar> In(TimelineLane lane, DateTimeOffset from, DateTimeOffset to, TimeSpan mergeGap)
    {
        ArgumentNullException.ThrowIfNull(lane);
        var bars = new List<TimelineBar>();
        var open = new Pending?[3];
        foreach (var span in lane.Spans)
        {
            if (span.End < from || span.Start > to)
            {
                continue;
            }

            var kind = KindOf(span);
            ref var pending = ref open[(int)kind];
            if (pending is not null && span.Start - pending.End < mergeGap)
            {
                pending.Add(span);
                continue;
            }

            if (pending is not null)
            {
                bars.Add(pending.ToBar());
            }

            pending = new Pending(span, kind);
        }

        bars.AddRange(open.OfType<Pending>().Select(p => p.ToBar()));
        bars.Sort((a, b) => a.Start.CompareTo(b.Start));
        return bars;
    }

    public static TimelineBarKind KindOf(ProcessSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.Ended switch
        {
            null => TimelineBarKind.Open,
            { Status.Failed: true } => TimelineBarKind.Failed,
            _ => TimelineBarKind.Ended,
        };
    }

    /// <summary>The bar being grown while its lane's spans (by start) keep coming close enough.</summary>
    private sealed class Pending(ProcessSpan first, TimelineBarKind kind)
    {
        private int _count = 1;
        private DateTimeOffset _end = first.End;
        private TimeSpan _longest = first.Duration;

        public DateTimeOffset End => _end;

        public void Add(ProcessSpan span)
        {
            _count++;
            _end = span.End > _end ? span.End : _end;
            _longest = span.Duration > _longest ? span.Duration : _longest;
        }

        public TimelineBar ToBar() => new()
        {
            Start = first.Start,
            End = _end,
            Kind = kind,
            Count = _count,
            Single = _count == 1 ? first : null,
            Longest = _longest,
        };
    }
}
