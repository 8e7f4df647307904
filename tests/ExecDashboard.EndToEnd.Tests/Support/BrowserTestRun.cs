namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>The end of every browser test: what explains a failure is kept, and what the test started is stopped.</summary>
internal static class BrowserTestRun
{
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
