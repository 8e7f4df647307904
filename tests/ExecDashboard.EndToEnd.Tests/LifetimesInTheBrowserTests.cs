using System.Globalization;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Process lifetimes in a real browser: the sendmail loop's runs as bars of the caller's timeline
/// and their durations on the Rates page (shipped with their ends), and a real process that exits
/// with code 3, collected from the real kernel, shown with its code and duration.
/// </summary>
public sealed class LifetimesInTheBrowserTests
{
    private static readonly int[] QueueSizes = [10, 20, 30];

    /// <summary>Beside the test assembly, or where EXECDASH_SCREENSHOTS names (deploy/update-screenshots.sh uses it for the README).</summary>
    private static string WorkDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work", "lifetimes")).FullName;

    [Fact]
    public async Task The_timeline_shows_each_sendmail_run_as_a_bar_and_rates_chart_how_long_each_ran()
    {
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            await new ShippedSendmailLoop().RunAsync(dashboard, QueueSizes, CancellationToken.None);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToBeVisibleAsync();

            // The caller (esmtp-wrapper, known from /proc only): its runs are one lane of three bars,
            // their exprs another lane of one bar each, every one of them ended.
            await page.GotoAsync(new Uri(dashboard.BaseAddress, "process/5e4d0a11/7000/500").ToString());
            var runs = page.GetByTestId("timeline-lane").Filter(new() { HasText = $"bash ×{QueueSizes.Length}" });
            await Assertions.Expect(runs).ToHaveAttributeAsync("data-count", QueueSizes.Length.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(runs.GetByTestId("timeline-bar")).ToHaveCountAsync(QueueSizes.Length);
            var exprs = page.GetByTestId("timeline-lane").Filter(new() { HasText = $"expr ×{QueueSizes.Sum()}" });
            await Assertions.Expect(exprs.GetByTestId("timeline-bar")).ToHaveCountAsync(QueueSizes.Sum());

            // Each run's bar is wider than the one before: the duration grows with the queue.
            // Read in one go: the live page may redraw the lanes between two reads of single bars.
            var widths = await BarWidthsAsync(runs, QueueSizes.Length);
            Assert.True(widths.SequenceEqual(widths.Order()) && widths[0] < widths[^1], $"Run bars should grow: {string.Join(", ", widths)}");
            await page.GetByTestId("timeline").ScrollIntoViewIfNeededAsync();
            await page.GetByTestId("timeline").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "timeline.png") });

            // A bar opens its process, which says how it ended.
            await runs.GetByTestId("timeline-bar").Last.ClickAsync();
            await Assertions.Expect(page.GetByTestId("process-title")).ToContainTextAsync("bash(");
            await Assertions.Expect(page.GetByTestId("process-exit")).ToContainTextAsync("exit code 0");

            // Rates: the sendmail program's runs with their durations beside their children.
            await page.GetByRole(AriaRole.Link, new() { Name = "Rates" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("selected-program")).ToContainTextAsync("sendmail");
            await Assertions.Expect(page.GetByTestId("run-durations")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("run-durations-note")).ToContainTextAsync("milliseconds from its start to its end");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "rates-durations.png"), FullPage = true });
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

    [Fact]
    public async Task The_process_view_shows_the_exit_code_and_duration_of_a_real_process()
    {
        CollectorProcess.RequireRoot();
        using var auditLock = KernelAuditLock.Acquire();
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        CollectorProcess? collector = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            collector = await CollectorProcess.StartAsync(dashboard.BaseAddress);

            var pid = await EndedProcess.RunAsync("sleep 0.3; exit 3", "execdash-exit3");
            var key = await EndedProcess.WaitForEndAsync(dashboard, pid, () => collector?.Stderr ?? string.Empty);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToBeVisibleAsync();
            await page.GotoAsync(new Uri(dashboard.BaseAddress, $"process/{key}").ToString());

            await Assertions.Expect(page.GetByTestId("process-exit")).ToContainTextAsync("exit code 3");
            var duration = await page.GetByTestId("process-duration").InnerTextAsync();
            var seconds = duration.EndsWith(" ms", StringComparison.Ordinal)
                ? double.Parse(duration[..^3], CultureInfo.InvariantCulture) / 1000
                : double.Parse(duration[..^2], CultureInfo.InvariantCulture);
            Assert.True(seconds is >= 0.29 and <= 10, $"ran {duration}");
            await Assertions.Expect(page.GetByTestId("process-ended")).ToContainTextAsync("UTC");
            // The title and how it ended; the chain below names this test run's own processes.
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "process-exit.png"), Clip = new Clip { X = 0, Y = 0, Width = 1400, Height = 220 } });
        }
        catch (Exception) when (dashboard is not null)
        {
            await BrowserTestRun.KeepEvidenceAsync(WorkDirectory, dashboard, browserLog, collector?.Stderr ?? "");
            throw;
        }
        finally
        {
            await BrowserTestRun.StopAsync(chromium, collector, dashboard);
        }
    }

    /// <summary>The widths of a lane's bars, once it has <paramref name="count"/> of them.</summary>
    private static async Task<double[]> BarWidthsAsync(ILocator lane, int count)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var widths = await lane.GetByTestId("timeline-bar").EvaluateAllAsync<double[]>("bars => bars.map(b => Number(b.getAttribute('width')))");
            if (widths.Length == count || DateTimeOffset.UtcNow > deadline)
            {
                Assert.Equal(count, widths.Length);
                return widths;
            }

            await Task.Delay(100);
        }
    }
}
