using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// The live analytics replayed over a finished recording: its windows end at the recording's last
/// exec, as if watching it live at that moment.
/// </summary>
public static class RecordingAnalytics
{
    public static async Task<IExecAnalytics> ReplayAsync(IAsyncEnumerable<ExecEvent> execs, DateTimeOffset end, DashboardOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(execs);
        var clock = new StoppedClock(end);
        var analytics = new LiveExecAnalytics(clock, Options.Create(options), NullLogger<LiveExecAnalytics>.Instance);
        var chunk = new List<ExecEvent>(1024);
        await foreach (var exec in execs.WithCancellation(cancellationToken))
        {
            chunk.Add(exec);
            if (exec.Exec.Time > clock.Now)
            {
                clock.Now = exec.Exec.Time;
            }

            if (chunk.Count == chunk.Capacity)
            {
                analytics.Observe(chunk);
                chunk.Clear();
            }
        }

        analytics.Observe(chunk);
        return analytics;
    }

    /// <summary>A clock stopped at the end of a recording.</summary>
    private sealed class StoppedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
