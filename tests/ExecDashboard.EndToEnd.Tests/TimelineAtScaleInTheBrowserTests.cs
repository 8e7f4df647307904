using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport.Recordings;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// The lifetimes views at the story's real scale: 224 sendmail runs of 1, 2, ... 224 <c>expr</c>
/// children (25,424 execs) with every process's end, imported as a session export into the real
/// dashboard and opened in headless Chromium. The caller's timeline stays a handful of lanes and a
/// bounded number of elements, shows the repeats' count and the runs' growing durations, and a
/// bar opens its process; the Rates page charts the durations; failed runs stand out. Timings and
/// element counts are printed, never asserted against a clock.
/// </summary>
public sealed class TimelineAtScaleInTheBrowserTests(ITestOutputHelper output)
{
    private const string Caller = "process/5e4d0a11/7000/500";

    private static string WorkDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work", "timeline-at-scale")).FullName;

    [Fact]
    public async Task The_timeline_of_hundreds_of_sendmail_runs_stays_small_shows_the_repeats_and_opens_a_run()
    {
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            var (id, recording) = await ImportAsync(dashboard);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } }, 60_000);
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync(" execs");

            // The caller, esmtp-wrapper: every run and every expr below it. Timed until the page is interactive.
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(dashboard.BaseAddress, $"{Caller}?session={id}").ToString());
            await page.WaitForFunctionAsync("() => document.querySelector('.process-graph[data-ready=true]') !== null && document.querySelector('[data-testid=timeline-bar]') !== null");
            clock.Stop();
            var timeline = page.GetByTestId("timeline");
            var lanes = page.GetByTestId("timeline-lane");
            var runs = lanes.Filter(new() { HasText = $"bash ×{SendmailSessionRecording.Runs}" });
            var exprs = lanes.Filter(new() { HasText = "expr ×25,200" });
            var elements = await timeline.EvaluateAsync<int>("t => t.querySelectorAll('*').length");
            var pageElements = await page.EvaluateAsync<int>("() => document.querySelectorAll('*').length");
            output.WriteLine($"Caller's timeline: {await lanes.CountAsync()} lanes, {await timeline.GetAttributeAsync("data-bars")} bars, {elements} elements in the timeline, {pageElements} in the page; interactive {clock.ElapsedMilliseconds} ms after navigating.");

            // A handful of lanes and a bounded number of elements for 25,425 processes, every one counted.
            await Assertions.Expect(lanes).ToHaveCountAsync(3);
            await Assertions.Expect(runs).ToHaveAttributeAsync("data-count", SendmailSessionRecording.Runs.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(exprs).ToHaveAttributeAsync("data-count", "25200");
            Assert.InRange(elements, 100, 3_000);
            var exprCounts = await exprs.GetByTestId("timeline-bar").EvaluateAllAsync<int[]>("bars => bars.map(b => Number(b.dataset.count))");
            Assert.Equal(25_200, exprCounts.Sum());
            Assert.InRange(exprCounts.Length, SendmailSessionRecording.Runs / 2, 1_000);

            // The runs' bars rise with their duration, and the failed ones are red.
            var heights = await runs.GetByTestId("timeline-bar").EvaluateAllAsync<double[]>("bars => bars.map(b => Number(b.getAttribute('height')))");
            Assert.True(heights[^1] > heights[0] * 5, $"The last run's bar ({heights[^1]}) should stand far above the first's ({heights[0]}).");
            await Assertions.Expect(runs.Locator("rect.tl-failed")).ToHaveCountAsync(SendmailSessionRecording.FailedRuns.Count);
            await Assertions.Expect(runs.GetByTestId("timeline-durations")).ToContainTextAsync("449 ms");
            await timeline.ScrollIntoViewIfNeededAsync();
            await timeline.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "timeline-at-scale.png") });

            await page.GetByTestId("process-graph").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(WorkDirectory, "graph.png") });

            // A bar of many exprs zooms in until they are single processes again.
            await exprs.Locator("[data-testid=timeline-bar]:not([data-count='1'])").Last.ClickAsync();
            await Assertions.Expect(exprs.Locator("[data-testid=timeline-bar]:not([data-count='1'])")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("timeline-range")).ToContainTextAsync("ms shown");
            await timeline.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "timeline-at-scale-zoomed.png") });

            // A run's bar opens that run.
            var last = recording.Loop.Runs[^1];
            await runs.Locator($"[data-key='{last}']").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Uri(dashboard.BaseAddress, $"process/{last.Boot}/{last.Pid}/{last.StartTicks}?session={id}").ToString());
            await Assertions.Expect(page.GetByTestId("process-title")).ToContainTextAsync($"bash({last.Pid})");
            await Assertions.Expect(page.GetByTestId("process-exit")).ToContainTextAsync("exit code 0");

            // That run's own timeline: its 224 exprs, one bar each.
            var ownExprs = page.GetByTestId("timeline-lane").Filter(new() { HasText = $"expr ×{SendmailSessionRecording.Runs}" });
            await Assertions.Expect(ownExprs).ToHaveAttributeAsync("data-bars", SendmailSessionRecording.Runs.ToString(CultureInfo.InvariantCulture));
            await timeline.ScrollIntoViewIfNeededAsync();
            await timeline.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "timeline-one-run.png") });

            // Rates: durations beside children, the growth in numbers, the failed runs named.
            var failed = SendmailSessionRecording.FailedRuns;
            await page.GotoAsync(new Uri(dashboard.BaseAddress, $"rates?session={id}").ToString());
            await Assertions.Expect(page.GetByTestId("run-durations")).ToBeVisibleAsync();
            var together = recording.Loop.Ends.Where(e => recording.Loop.Runs.Contains(e.Process)).Sum(e => e.Duration.TotalSeconds);
            await Assertions.Expect(page.GetByTestId("run-durations-summary")).ToHaveTextAsync(string.Create(
                CultureInfo.InvariantCulture, $"Run #1 took 3 ms, run #{SendmailSessionRecording.Runs} 449 ms (149.7× as long); the {SendmailSessionRecording.Runs} runs {together:0.##} s together."));
            var failedLinks = page.GetByTestId("failed-run");
            await Assertions.Expect(failedLinks).ToHaveTextAsync([.. failed.Select(n => $"#{n} (exit {SendmailSessionRecording.FailedExitCode})")]);
            await page.WaitForTimeoutAsync(500); // the charts' drawing settles
            await page.GetByTestId("invocations").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "rates-durations-at-scale.png") });

            // A failed run opens with its exit code, marked on its own card in the graph.
            await failedLinks.Last.ClickAsync();
            var failedRun = recording.Loop.Runs[failed[^1] - 1];
            await Assertions.Expect(page.GetByTestId("process-title")).ToContainTextAsync($"bash({failedRun.Pid})");
            await Assertions.Expect(page.GetByTestId("process-exit")).ToContainTextAsync($"exit code {SendmailSessionRecording.FailedExitCode}");
            await Assertions.Expect(page.Locator(".pg-node").Filter(new() { HasText = $"bash({failedRun.Pid})" })).ToContainTextAsync($"exit {SendmailSessionRecording.FailedExitCode}");
            await page.GetByTestId("process-graph").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(WorkDirectory, "graph-failed-run.png") });

            // The feed of the session, folded: the failed run among the newest is marked, though
            // its row lies over a thousand execs deep.
            await page.GotoAsync(new Uri(dashboard.BaseAddress, $"?session={id}").ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync($"session {id}");
            var failedRow = page.Locator($"[data-testid=feed-row][data-pid='{failedRun.Pid}']");
            await Assertions.Expect(failedRow.GetByTestId("run-failed")).ToHaveTextAsync($"exit {SendmailSessionRecording.FailedExitCode}");
            await Assertions.Expect(page.Locator("[data-testid=run-failed]")).ToHaveCountAsync(1);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "feed-failed-run-at-scale.png") });
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

    /// <summary>Writes the recording and imports it through the API; returns the session's id.</summary>
    private static async Task<(long Id, SendmailSessionRecording Recording)> ImportAsync(DashboardProcess dashboard)
    {
        using var file = new MemoryStream();
        var recording = await SendmailSessionRecording.WriteAsync(file, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        using var api = dashboard.ApiClient();
        api.Timeout = TimeSpan.FromMinutes(5);
        using var body = new ByteArrayContent(file.ToArray());
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await api.PostAsync(new Uri("api/sessions/import?name=sendmail%20at%20scale", UriKind.Relative), body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        using var session = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(recording.Loop.Events.Count, session.RootElement.GetProperty("events").GetInt64());
        return (session.RootElement.GetProperty("id").GetInt64(), recording);
    }
}
