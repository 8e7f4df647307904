using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExecDashboard.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// The motivating case end to end, in a real browser against the real dashboard process: the
/// sendmail loop reaches the dashboard, and a person can see it in the feed, trace an <c>expr</c>
/// to its caller, find the storming bash first in the rates with growing children per
/// invocation, and export and re-import the recording unchanged.
/// </summary>
public sealed partial class SendmailLoopInTheBrowserTests
{
    private static readonly int[] QueueSizes = [10, 20, 30];
    private readonly ISendmailLoopProducer _producer = new ShippedSendmailLoop();

    /// <summary>Beside the test assembly, or where EXECDASH_SCREENSHOTS names (deploy/update-screenshots.sh uses it for the README).</summary>
    private static string WorkDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work")).FullName;

    [Fact]
    public async Task Feed_process_rates_and_sessions_show_the_sendmail_loop()
    {
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            var run = await _producer.RunAsync(dashboard, QueueSizes, CancellationToken.None);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, AcceptDownloads = true });

            // Log in through the printed link: it sets the cookie and lands on the feed.
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync($"{run.TotalExecs} execs");
            // Each run's exprs fold into one row with a count and an argument template.
            await Assertions.Expect(page.GetByTestId("feed-fold").First).ToContainTextAsync($"expr ×{QueueSizes[^1]} [N + 1]");
            await Assertions.Expect(page.GetByTestId("feed-fold").First).ToContainTextAsync($"-- bash(");
            await page.GetByTestId("filter-exe").FillAsync("expr");
            await page.GetByTestId("filter-exe").PressAsync("Enter");
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync($"{QueueSizes.Sum()} execs");
            await Assertions.Expect(page.GetByTestId("feed-fold")).ToHaveCountAsync(QueueSizes.Length);
            await page.GetByTestId("feed-fold").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("feed-row")).ToHaveCountAsync(QueueSizes[^1]);
            await Assertions.Expect(page.GetByTestId("feed-row").First).ToContainTextAsync("expr(");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "feed.png") });

            // An expr leads through the sendmail script to its caller and on to PID 1.
            var firstRow = page.GetByTestId("feed-row").First;
            await firstRow.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(ProcessUrl());
            var steps = page.GetByTestId("ancestry-step");
            await Assertions.Expect(steps).ToHaveCountAsync(4);
            await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("expr(");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("bash(");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("[/usr/sbin/sendmail -t]");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("exec seen");
            await Assertions.Expect(steps.Nth(2)).ToContainTextAsync($"{run.CallerName}(");
            await Assertions.Expect(steps.Nth(3)).ToContainTextAsync("systemd(1)");

            // The caller's tree: the three runs collapse into one node, their exprs into another.
            await steps.Nth(2).Locator("a").ClickAsync();
            await Assertions.Expect(page.GetByTestId("process-title")).ToContainTextAsync(run.CallerName);
            await Assertions.Expect(page.GetByTestId("descendant-count")).ToContainTextAsync($"{run.TotalExecs} execs below");
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-ready", "true");
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-nodes", "3");
            await Assertions.Expect(page.Locator(".diagram-node").Filter(new() { HasText = "bash ×3 [/usr/sbin/sendmail -t]" })).ToBeVisibleAsync();
            var exprs = page.Locator(".diagram-node").Filter(new() { HasText = $"expr ×{QueueSizes.Sum()} [N + 1]" });
            await Assertions.Expect(exprs).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".diagram-node [data-kind=root]")).ToContainTextAsync(run.CallerName);
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "process.png") });

            // Rates: the sendmail script is the first program, its three runs one row, and children per run grow.
            await page.GetByRole(AriaRole.Link, new() { Name = "Rates" }).ClickAsync();
            var top = page.GetByTestId("program-row").First;
            await Assertions.Expect(top.GetByTestId("program-label")).ToHaveTextAsync("bash /usr/sbin/sendmail -t");
            await Assertions.Expect(top.GetByTestId("program-runs")).ToHaveTextAsync("3");
            await Assertions.Expect(top.GetByTestId("program-growth")).ToContainTextAsync("growing");
            await Assertions.Expect(page.GetByTestId("growth-verdict")).ToContainTextAsync("growing");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "rates.png") });

            // Export the live session, import the file, and the views show the same execs.
            await page.GetByRole(AriaRole.Link, new() { Name = "Sessions" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
            var liveId = await page.GetByTestId("session-row").First.GetAttributeAsync("data-session-id");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-session").First.ClickAsync());
            var exported = Path.Combine(WorkDirectory, "sendmail-session.json");
            await download.SaveAsAsync(exported);
            await page.GetByTestId("import-file").SetInputFilesAsync(exported);
            await page.GetByTestId("import-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("sessions-message")).ToContainTextAsync($"with {run.TotalExecs} execs");
            await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(2);
            var importedId = await page.Locator($"[data-testid=session-row]:not([data-session-id='{liveId}'])").GetAttributeAsync("data-session-id");

            // The views now show the import (same circuit, so navigate inside the app).
            await page.GetByRole(AriaRole.Link, new() { Name = "Live feed" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync($"{run.TotalExecs} execs, session {importedId}");

            using var api = dashboard.ApiClient();
            var original = JsonNode.Parse(await api.GetStringAsync(new Uri($"api/sessions/{liveId}/export", UriKind.Relative)))!["events"];
            var reimported = JsonNode.Parse(await api.GetStringAsync(new Uri($"api/sessions/{importedId}/export", UriKind.Relative)))!["events"];
            Assert.Equal(run.TotalExecs, original!.AsArray().Count);
            Assert.True(JsonNode.DeepEquals(original, reimported), "The re-imported session's events differ from the export.");
        }
        catch (Exception) when (dashboard is not null)
        {
            await BrowserTestRun.KeepEvidenceAsync(WorkDirectory, dashboard, browserLog);
            throw;
        }
        finally
        {
            await BrowserTestRun.StopAsync(chromium, dashboard);
        }
    }

    [GeneratedRegex(@"/process/[^/]+/\d+/\d+$")]
    private static partial Regex ProcessUrl();
}
