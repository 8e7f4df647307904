using System.Diagnostics.Metrics;

namespace ExecDashboard.Web.Diagnostics;

/// <summary>
/// Where an exec's time goes on its way to a pixel, stage by stage, in milliseconds: histograms of
/// the meter <see cref="MeterName"/> (<c>dotnet-counters monitor -n ExecDashboard.Web
/// --counters ExecDashboard.Latency</c>), summarised by <see cref="LatencySummary"/> for
/// <c>/api/diagnostics/latency</c>. Recording is a few additions per event or batch, cheap enough
/// to leave on.
/// </summary>
/// <remarks>
/// Static, not from <c>IMeterFactory</c>: the stages are recorded in places that DI does not reach
/// (the change notifier's subscriptions, the pages' shared base), and one process has one pipeline.
/// </remarks>
internal static class LatencyInstruments
{
    public const string MeterName = "ExecDashboard.Latency";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>From the exec in the kernel (its audit time, ms precision) to the hub receiving its batch: collector and wire.</summary>
    public static readonly Histogram<double> KernelToHub = Meter.CreateHistogram<double>(
        "execdashboard.latency.kernel_to_hub", "ms", "Exec's kernel audit time to the hub receiving its batch (per exec).");

    /// <summary>From the hub receiving a batch to its commit: ingest queue wait and the transaction.</summary>
    public static readonly Histogram<double> Commit = Meter.CreateHistogram<double>(
        "execdashboard.latency.commit", "ms", "Hub receiving a batch to the batch committed (per batch).");

    /// <summary>
    /// From a change signalled (a commit) to a subscriber's callback: the notify throttle. Counts every
    /// subscriber; one that redraws at most once a second (the host facet) holds its next notice that long.
    /// </summary>
    public static readonly Histogram<double> Notify = Meter.CreateHistogram<double>(
        "execdashboard.latency.notify", "ms", "Store change signalled to a subscribed page being called (per notice).");

    /// <summary>
    /// From a page's turn (on the renderer's thread, after its own redraw throttle if it has one) to
    /// its pull and render done; the diff then travels to the browser.
    /// </summary>
    public static readonly Histogram<double> Render = Meter.CreateHistogram<double>(
        "execdashboard.latency.render", "ms", "Page's turn to redraw to the page pulled and rendered (per redraw).");

    /// <summary>Execs older than this when they reach the hub are a replay or a spool catching up, not live latency.</summary>
    public static readonly TimeSpan LiveHorizon = TimeSpan.FromMinutes(1);
}
