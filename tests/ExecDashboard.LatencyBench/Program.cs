using System.Diagnostics;
using System.Globalization;
using ExecDashboard.LatencyBench;
using Microsoft.Playwright;

// Exec → feed row latency in a real browser, idle and during a paced exec storm, with the
// dashboard's own per-stage figures beside it. deploy/bench-latency.sh starts the dashboard and
// the collector and passes: URL TOKEN PROBE STORM_SCRIPT [PROBES] [STORM_RATE].
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: ExecDashboard.LatencyBench URL TOKEN PROBE STORM_SCRIPT [PROBES] [STORM_RATE]");
    return 2;
}

var dashboard = new Uri(args[0]);
var token = args[1];
var probe = args[2];
var storm = args[3];
var probes = args.Length > 4 ? int.Parse(args[4], CultureInfo.InvariantCulture) : 40;
var stormRate = args.Length > 5 ? int.Parse(args[5], CultureInfo.InvariantCulture) : 1000;
var probeName = Path.GetFileName(probe);
var gap = TimeSpan.FromMilliseconds(250);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
});
using var api = new DashboardApi(dashboard, token);
var feed = await FeedWatch.OpenAsync(browser, dashboard, token, probeName);

// Warm-up: the first rows pay for JIT and the first circuit render.
await RunProbesAsync(1_000, 5);
await Task.Delay(TimeSpan.FromSeconds(1));

await api.ClearStagesAsync();
var idle = await RunProbesAsync(0, probes);
await Task.Delay(TimeSpan.FromSeconds(2));
await ReportAsync("idle", idle, await api.StagesAsync());

var stormSeconds = (int)Math.Ceiling((gap * probes).TotalSeconds) + 6;
using var loop = Process.Start(new ProcessStartInfo(storm) { ArgumentList = { stormSeconds.ToString(CultureInfo.InvariantCulture), stormRate.ToString(CultureInfo.InvariantCulture), "latency-storm" }, RedirectStandardOutput = true })!;
await Task.Delay(TimeSpan.FromSeconds(3));
await api.ClearStagesAsync();
var stormed = await RunProbesAsync(10_000, probes);
var stages = await api.StagesAsync();
var performed = (await loop.StandardOutput.ReadToEndAsync()).Trim();
await loop.WaitForExitAsync();
await Task.Delay(TimeSpan.FromSeconds(2));
await ReportAsync($"storm ({performed} execs in {stormSeconds} s, target {stormRate}/s)", stormed, stages);
return 0;

// Runs probes first..first+count-1, one every `gap`, each with its marker as its argument.
async Task<IReadOnlyList<int>> RunProbesAsync(int first, int count)
{
    var ids = new List<int>();
    for (var i = first; i < first + count; i++)
    {
        using var p = Process.Start(new ProcessStartInfo(probe) { ArgumentList = { $"LPROBE{i.ToString(CultureInfo.InvariantCulture)}X" } })!;
        await p.WaitForExitAsync();
        ids.Add(i);
        await Task.Delay(gap);
    }

    return ids;
}

async Task ReportAsync(string phase, IReadOnlyList<int> ids, IReadOnlyList<StageLatency> stageFigures)
{
    var kernel = await api.ProbeKernelTimesAsync(probeName);
    var seen = await feed.SeenAsync();
    var latencies = ids.Where(i => kernel.ContainsKey(i) && seen.ContainsKey(i)).Select(i => seen[i] - kernel[i]).Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{phase}: exec -> row in browser over {latencies.Length}/{ids.Count} probes: p50 {Quantile(latencies, 0.5):F0} ms, p90 {Quantile(latencies, 0.9):F0} ms, max {(latencies.Length > 0 ? latencies[^1] : double.NaN):F0} ms"));
    foreach (var s in stageFigures)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {s.Stage,-14} p50 {s.P50Ms,8:F1} ms  p90 {s.P90Ms,8:F1} ms  p99 {s.P99Ms,8:F1} ms  ({s.Samples} samples)"));
    }
}

static double Quantile(double[] sorted, double q) =>
    sorted.Length == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(q * sorted.Length) - 1)];
