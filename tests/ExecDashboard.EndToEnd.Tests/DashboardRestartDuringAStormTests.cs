using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Issue 3: "kill the dashboard during a storm, start it again; every exec arrives once". The real
/// collector keeps what the dashboard has not acknowledged in its spool and sends it again after
/// reconnecting; the dashboard must store each exec exactly once, neither losing nor doubling any.
/// </summary>
public sealed class DashboardRestartDuringAStormTests
{
    private const int StormSize = 3000;

    [Fact]
    public async Task Every_exec_of_a_storm_arrives_once_when_the_dashboard_is_killed_and_restarted()
    {
        CollectorProcess.RequireRoot();
        using var auditLock = KernelAuditLock.Acquire();
        var data = Directory.CreateTempSubdirectory("execdash-e2e-restart-").FullName;
        var work = Directory.CreateTempSubdirectory("execdash-e2e-storm-").FullName;
        var mark = $"mark-{Guid.NewGuid():N}-";
        var port = DashboardProcess.FreePort();
        DashboardProcess? first = null;
        DashboardProcess? second = null;
        CollectorProcess? collector = null;
        Process? storm = null;
        try
        {
            first = await DashboardProcess.StartAsync(port, data);
            collector = await CollectorProcess.StartAsync(first.BaseAddress);

            var script = Path.Combine(work, "storm");
            await File.WriteAllTextAsync(script, $"#!/bin/bash\nfor i in $(seq 1 {StormSize.ToString(CultureInfo.InvariantCulture)}); do /bin/true {mark}$i; done\n");
            storm = Process.Start(new ProcessStartInfo("/bin/bash") { ArgumentList = { script }, UseShellExecute = false }) ?? throw new InvalidOperationException("bash did not start.");

            // Kill the dashboard once the storm is visibly flowing into it, while it still runs.
            using (var api = first.ApiClient())
            {
                var flowing = Stopwatch.StartNew();
                while (await MarkedAsync(api, mark) is var seen && seen.Count < 100)
                {
                    Assert.True(flowing.Elapsed < TimeSpan.FromSeconds(60), $"Only {seen.Count} marked execs reached the dashboard in 60 s; collector log:\n{collector.Stderr}");
                    await Task.Delay(50);
                }
            }

            Assert.False(storm.HasExited, "The storm ended before the dashboard was killed; the test proves nothing. Raise StormSize.");
            await first.CrashAsync();
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(storm.HasExited, "The storm ended before the dashboard was killed; the test proves nothing. Raise StormSize.");
            second = await DashboardProcess.StartAsync(port, data);
            await storm.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));

            using var restartedApi = second.ApiClient();
            var arrived = Stopwatch.StartNew();
            IReadOnlyList<string> marked;
            while ((marked = await MarkedAsync(restartedApi, mark)).Count < StormSize)
            {
                Assert.False(collector.HasExited, $"The collector exited: {collector.Stderr}");
                Assert.True(arrived.Elapsed < TimeSpan.FromMinutes(2), $"Only {marked.Count} of {StormSize} marked execs arrived within 2 minutes of the restart; collector log:\n{collector.Stderr}");
                await Task.Delay(250);
            }

            // A late re-send would double some: give it a moment, then count each marker.
            await Task.Delay(TimeSpan.FromSeconds(3));
            marked = await MarkedAsync(restartedApi, mark);
            var counts = marked.GroupBy(m => m, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            var missing = Enumerable.Range(1, StormSize).Select(i => mark + i.ToString(CultureInfo.InvariantCulture)).Where(m => !counts.ContainsKey(m)).ToArray();
            var doubled = counts.Where(c => c.Value > 1).Select(c => $"{c.Key} x{c.Value}").ToArray();
            Assert.True(missing.Length == 0, $"{missing.Length} marked execs never arrived, for example {string.Join(", ", missing.Take(5))}.");
            Assert.True(doubled.Length == 0, $"{doubled.Length} marked execs arrived more than once, for example {string.Join(", ", doubled.Take(5))}.");
            Assert.Equal(StormSize, marked.Count);
        }
        finally
        {
            if (storm is not null)
            {
                if (!storm.HasExited)
                {
                    storm.Kill();
                }

                storm.Dispose();
            }

            if (collector is not null)
            {
                await collector.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }

            if (first is not null)
            {
                await first.DisposeAsync();
            }

            Directory.Delete(data, recursive: true);
            Directory.Delete(work, recursive: true);
        }

        CollectorProcess.AssertNoRulesLeft(await CollectorProcess.InstalledRulesAsync());
    }

    /// <summary>The marker argument of every stored exec of <c>/bin/true MARK-i</c>, once per stored event.</summary>
    private static async Task<IReadOnlyList<string>> MarkedAsync(HttpClient api, string mark)
    {
        using var events = await JsonDocument.ParseAsync(await api.GetStreamAsync(new Uri($"api/events?argv={Uri.EscapeDataString(mark)}&limit=10000", UriKind.Relative)));
        return events.RootElement.EnumerateArray()
            .SelectMany(e => e.GetProperty("event").GetProperty("argv").EnumerateArray().Select(a => a.GetString() ?? string.Empty))
            .Where(a => a.StartsWith(mark, StringComparison.Ordinal))
            .ToArray();
    }
}
