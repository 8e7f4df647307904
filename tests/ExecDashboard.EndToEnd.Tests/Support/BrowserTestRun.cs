using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The frame of every browser test: a page whose console and errors are logged, and at the end
/// what explains a failure is kept and what the test started is stopped.
/// </summary>
internal static class BrowserTestRun
{
    /// <summary>A page in a new context of <paramref name="chromium"/>, its console and page errors appended to <paramref name="browserLog"/>.</summary>
    public static async Task<IPage> OpenPageAsync(HeadlessChromium chromium, List<string> browserLog, BrowserNewContextOptions options, float timeoutMs = 30_000)
    {
        var context = await chromium.Browser.NewContextAsync(options);
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(timeoutMs);
        page.Console += (_, m) => browserLog.Add($"{m.Type}: {m.Text}");
        page.PageError += (_, e) => browserLog.Add($"page error: {e}");
        return page;
    }

    /// <summary>The server's (and collector's) log and the browser's console say why a step failed; keep them beside the screenshots.</summary>
    public static async Task KeepEvidenceAsync(string workDirectory, DashboardProcess dashboard, IEnumerable<string> browserLog, string? collectorLog = null)
    {
        await File.WriteAllTextAsync(Path.Combine(workDirectory, "dashboard.log"), dashboard.Output);
        await File.WriteAllLinesAsync(Path.Combine(workDirectory, "browser.log"), browserLog);
        if (collectorLog is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(workDirectory, "collector.log"), collectorLog);
        }
    }

    /// <summary>Stops, in the order given, whatever of the test's browser and processes was started.</summary>
    public static async Task StopAsync(params IAsyncDisposable?[] started)
    {
        foreach (var owned in started)
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }
}
