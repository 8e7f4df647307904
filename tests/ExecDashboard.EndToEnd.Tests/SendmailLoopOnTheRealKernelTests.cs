using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Issue 3's proof on the real kernel: the real collector pushes every exec of this machine to the
/// real dashboard while a real sendmail loop runs, and a person in a real browser finds it: the
/// <c>expr</c> execs in the feed, an <c>expr</c>'s chain through the sendmail bash and its caller up
/// to PID 1, that bash first in the rates with growing children per invocation, and an unchanged
/// export and re-import.
/// </summary>
public sealed partial class SendmailLoopOnTheRealKernelTests
{
    private static readonly int[] QueueSizes = [10, 20, 30];

    private static string ScreenshotDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots", "kernel")).FullName;

    private static string WorkDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work", "kernel")).FullName;

    [Fact]
    public async Task Real_collector_shows_the_sendmail_loop_in_the_browser()
    {
        CollectorProcess.RequireRoot();
        using var auditLock = KernelAuditLock.Acquire();
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        CollectorProcess? collector = null;
        HeadlessChromium? chromium = null;
        KernelSendmailLoop? loop = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            collector = await CollectorProcess.StartAsync(dashboard.BaseAddress);
            loop = new KernelSendmailLoop(collector);
            var run = await loop.RunAsync(dashboard, QueueSizes, CancellationToken.None);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 }, AcceptDownloads = true });

            // The whole machine's execs are in the feed (chromium's own, and other programs' exprs, among
            // them): find the caller, keep only its descendants, and the exe filter finds exactly the loop's exprs.
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync(" execs");
            await FilterUntilAsync(page, "filter-pid", loop.CallerPid.ToString(CultureInfo.InvariantCulture), async () => await page.GetByTestId("feed-row").CountAsync() == 1);
            await Assertions.Expect(page.GetByTestId("feed-row").First).ToContainTextAsync($"{run.CallerName}]");
            await page.GetByTestId("under-button").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("filter-under")).ToContainTextAsync(run.CallerName);
            await page.GetByTestId("filter-pid").FillAsync(string.Empty);
            await page.GetByTestId("filter-pid").PressAsync("Enter");
            await page.GetByTestId("filter-exe").FillAsync("expr");
            await page.GetByTestId("filter-exe").PressAsync("Enter");
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync(ExecCount(QueueSizes.Sum()));

            // Each run's exprs fold into one row; the newest run's row opens onto its execs.
            await Assertions.Expect(page.GetByTestId("feed-fold").First).ToContainTextAsync($"expr ×{QueueSizes[^1]} [N + 1]");
            await page.GetByTestId("feed-fold").First.ClickAsync();
            await Assertions.Expect(page.GetByTestId("feed-row").First).ToContainTextAsync("expr(");
            await Assertions.Expect(page.GetByTestId("feed-row").First).ToContainTextAsync("sendmail -t]");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "feed.png") });

            // An expr leads through the sendmail bash and its caller, and on up to PID 1, whatever PID 1 is here.
            await page.GetByTestId("feed-row").First.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(ProcessUrl());
            var steps = page.GetByTestId("ancestry-step");
            await Assertions.Expect(steps.Nth(3)).ToBeVisibleAsync();
            await Assertions.Expect(steps.Nth(0)).ToContainTextAsync("expr(");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("bash(");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync($"{loop.Directory}/sendmail -t]");
            await Assertions.Expect(steps.Nth(1)).ToContainTextAsync("exec seen");
            await Assertions.Expect(steps.Nth(2)).ToContainTextAsync($"{run.CallerName}]");
            var init = Path.GetFileName(new FileInfo("/proc/1/exe").LinkTarget ?? "");
            await Assertions.Expect(steps.Last).ToContainTextAsync(new Regex($@"{Regex.Escape(init)}\S*\(1\)"));
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "ancestry.png"), FullPage = true });

            // The caller's graph: its three sendmail runs are one node, and their 60 exprs another.
            await steps.Nth(2).Locator("a").ClickAsync();
            await Assertions.Expect(page.GetByTestId("process-title")).ToContainTextAsync(run.CallerName);
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-ready", "true");
            await Assertions.Expect(page.Locator(".diagram-node [data-kind=root]")).ToContainTextAsync(run.CallerName);
            await Assertions.Expect(page.Locator(".diagram-node").Filter(new() { HasText = $"bash ×{QueueSizes.Length} [{loop.Directory}/sendmail -t]" })).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator(".diagram-node").Filter(new() { HasText = $"expr ×{QueueSizes.Sum()} [N + 1]" })).ToBeVisibleAsync();
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "process.png") });

            // Exact link names: rows of the real feed can name a link "Sessions" too (a git commit message).
            // Rates: the sendmail script is one program of three runs whose children grow. The whole machine
            // execs meanwhile, so find its row by name rather than by rank.
            await page.GetByRole(AriaRole.Link, new() { Name = "Rates", Exact = true }).ClickAsync();
            var sendmail = page.GetByTestId("program-row").Filter(new() { HasText = $"bash {loop.Directory}/sendmail -t" });
            await Assertions.Expect(sendmail.GetByTestId("program-runs")).ToHaveTextAsync("3");
            await Assertions.Expect(sendmail.GetByTestId("program-children")).ToHaveTextAsync(QueueSizes.Sum().ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(sendmail.GetByTestId("program-growth")).ToContainTextAsync("growing");
            await sendmail.ClickAsync();
            await Assertions.Expect(page.GetByTestId("growth-verdict")).ToContainTextAsync("growing");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "rates.png") });

            // Export the live session, import the file: the import holds exactly the exported events.
            await page.GetByRole(AriaRole.Link, new() { Name = "Sessions", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(1);
            var liveId = await page.GetByTestId("session-row").First.GetAttributeAsync("data-session-id");
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-session").First.ClickAsync());
            var exported = Path.Combine(WorkDirectory, "kernel-sendmail-session.json");
            await download.SaveAsAsync(exported);
            var exportedEvents = JsonNode.Parse(await File.ReadAllTextAsync(exported))!["events"]!.AsArray();
            Assert.True(exportedEvents.Count >= run.TotalExecs, $"The export holds {exportedEvents.Count} events, fewer than the loop's {run.TotalExecs}.");
            await page.GetByTestId("import-file").SetInputFilesAsync(exported);
            await page.GetByTestId("import-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("sessions-message")).ToContainTextAsync($"with {exportedEvents.Count} execs");
            await Assertions.Expect(page.GetByTestId("session-row")).ToHaveCountAsync(2);
            var importedId = await page.Locator($"[data-testid=session-row]:not([data-session-id='{liveId}'])").GetAttributeAsync("data-session-id");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, "sessions.png") });

            using var api = dashboard.ApiClient();
            var reimported = JsonNode.Parse(await api.GetStringAsync(new Uri($"api/sessions/{importedId}/export", UriKind.Relative)))!["events"];
            Assert.True(JsonNode.DeepEquals(exportedEvents, reimported), "The re-imported session's events differ from the export.");
        }
        catch (Exception) when (dashboard is not null)
        {
            await BrowserTestRun.KeepEvidenceAsync(WorkDirectory, dashboard, browserLog, collector?.Stderr ?? "");
            throw;
        }
        finally
        {
            await BrowserTestRun.StopAsync(chromium, collector, dashboard);

            loop?.Delete();
        }

        CollectorProcess.AssertNoRulesLeft(await CollectorProcess.InstalledRulesAsync());
    }

    /// <summary>
    /// Types a filter until the feed shows it applied: the first page is prerendered, and keys typed
    /// before the interactive circuit is connected are lost.
    /// </summary>
    private static async Task FilterUntilAsync(IPage page, string filter, string value, Func<Task<bool>> applied)
    {
        for (var attempt = 0; attempt < 30; attempt++)
        {
            await page.GetByTestId(filter).FillAsync(value);
            await page.GetByTestId(filter).PressAsync("Enter");
            await page.WaitForTimeoutAsync(1000);
            if (await applied())
            {
                return;
            }
        }

        Assert.Fail($"The feed did not apply {filter} = {value} within 30 attempts.");
    }

    /// <summary>"60 execs" but not "160 execs".</summary>
    private static Regex ExecCount(int count) => new($@"(^|\D){count} execs");

    [GeneratedRegex(@"/process/[^/]+/\d+/\d+$")]
    private static partial Regex ProcessUrl();
}
