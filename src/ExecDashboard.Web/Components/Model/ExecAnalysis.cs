using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// The rate views' analytics over one stream of execs: per-parent rate windows and children per
/// invocation, both from the domain, fed in arrival order. Thread-safe (the domain types lock).
/// </summary>
public sealed class ExecAnalysis(TimeProvider time)
{
    /// <summary>The window a storm is judged over: short, so an alert comes within seconds.</summary>
    public static readonly TimeSpan StormWindow = TimeSpan.FromSeconds(10);

    public ExecRateWindow Rates { get; } = new(time);

    public InvocationGrowthTracker Growth { get; } = new();

    public TimeProvider Time { get; } = time;

    public void Record(IReadOnlyList<ExecEvent> execs)
    {
        ArgumentNullException.ThrowIfNull(execs);
        Rates.Record(execs);
        foreach (var exec in execs)
        {
            Growth.Record(exec);
        }
    }

    /// <summary>Parents at or above <paramref name="threshold"/> execs/s over <see cref="StormWindow"/>, fastest first.</summary>
    public IReadOnlyList<ParentRate> Storms(double threshold, int max = 10) =>
        [.. Rates.TopParents(StormWindow, max).Where(r => r.PerSecond >= threshold)];

    /// <summary>Children per invocation of the program <paramref name="parent"/> ran, or null when unknown.</summary>
    public InvocationSeries? InvocationsOf(ProcessKey parent) => Growth.SeriesOf(parent);

    /// <summary>
    /// Analysis of a finished recording: its windows end at the recording's last exec, as if
    /// watching it live at that moment.
    /// </summary>
    public static async Task<ExecAnalysis> OfRecordingAsync(IAsyncEnumerable<ExecEvent> execs, DateTimeOffset end, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execs);
        var pinned = new PinnedTime(end);
        var analysis = new ExecAnalysis(pinned);
        var chunk = new List<ExecEvent>(1024);
        await foreach (var exec in execs.WithCancellation(cancellationToken))
        {
            chunk.Add(exec);
            if (exec.Exec.Time > pinned.Now)
            {
                pinned.Now = exec.Exec.Time;
            }

            if (chunk.Count == chunk.Capacity)
            {
                analysis.Record(chunk);
                chunk.Clear();
            }
        }

        analysis.Record(chunk);
        return analysis;
    }

    /// <summary>A clock stopped at the end of a recording.</summary>
    private sealed class PinnedTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
