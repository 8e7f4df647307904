using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport.Recordings;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// A wide tree as a new user meets it: a build (make → 133 × (sh → cc1, as), 400 processes, and
/// one of 499, the most the graph draws)
/// imported as a raw auditd log into the real dashboard, opened in real Chromium. The graph draws
/// every process as a node card, reads in light and dark mode, shows a node's details on hover and
/// opens a process on click. Prints how long the graph took to become clickable.
/// </summary>
public sealed partial class BuildTreeGraphInTheBrowserTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static string WorkDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work", "build-tree")).FullName;

    /// <summary>133 jobs: 400 processes (the screenshots); 166 jobs: 499, the most the graph draws.</summary>
    [Theory]
    [InlineData(133)]
    [InlineData(166)]
    public async Task A_build_tree_of_hundreds_of_processes_is_drawn_node_by_node_and_each_node_opens_its_process(int jobs)
    {
        var processes = 1 + (3 * jobs);
        var screenshots = jobs == 133;
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            var makeKey = await ImportBuildTreeAsync(dashboard, jobs);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync(" execs");

            // Time to interactive: from asking for the page until the graph is measured, fitted and drawn.
            var clock = Stopwatch.StartNew();
            await page.GotoAsync(new Uri(dashboard.BaseAddress, $"process/{makeKey}").ToString());
            await page.WaitForFunctionAsync(
                "() => document.querySelector('.process-graph[data-ready=true]') !== null && document.querySelectorAll('.diagram-node').length >= 300",
                null,
                new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 20 });
            clock.Stop();
            var drawn = await page.Locator(".diagram-node").CountAsync();
            var figure = string.Create(CultureInfo.InvariantCulture, $"Build tree ({jobs} jobs, {processes} processes): {drawn} nodes drawn, interactive {clock.Elapsed.TotalMilliseconds:F0} ms after navigating to the process page.");
            output.WriteLine(figure);
            await File.AppendAllTextAsync(Path.Combine(WorkDirectory, "time-to-interactive.txt"), figure + "\n");

            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-nodes", processes.ToString(CultureInfo.InvariantCulture));
            Assert.True(drawn >= 300, $"only {drawn} nodes drawn");
            await Assertions.Expect(page.GetByTestId("graph-cut")).ToHaveCountAsync(0);

            // Readable up close: zoom in towards one compiler job (wherever the fitted view put it) and hover it for its details.
            await ShowTheGraphAsync(page);
            var compiler = await NearestToTheCentreAsync(page, page.Locator(".diagram-node").Filter(new() { HasText = "cc1(" }));
            await ZoomTowardsAsync(page, compiler, notches: 8);
            await Assertions.Expect(compiler).ToBeVisibleAsync();
            await compiler.HoverAsync();
            var details = page.GetByTestId("graph-details");
            await Assertions.Expect(details).ToContainTextAsync("argv: /usr/lib/gcc/x86_64-linux-gnu/12/cc1 -quiet src/unit");
            await Assertions.Expect(details).ToContainTextAsync("cwd: /home/ann/src/project");
            await Assertions.Expect(details).ToContainTextAsync("uid 1000");
            await page.Mouse.MoveAsync(5, 5);
            await Assertions.Expect(details).ToHaveCountAsync(0);
            await FitAsync(page);
            await ZoomOnTheTopOfTheTreeAsync(page);
            if (screenshots)
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "process-build-tree.png") });
            }

            // Dark mode: the cards take the theme's dark surface and light text.
            await page.GetByRole(AriaRole.Button, new() { Name = "Toggle light or dark theme" }).ClickAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('.mud-theme-dark, .mud-dark') !== null || getComputedStyle(document.body).backgroundColor !== 'rgb(255, 255, 255)'");
            var colours = await page.Locator(".pg-node").First.EvaluateAsync<string[]>("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]");
            Assert.True(Luminance(colours[0]) < 0.2, $"node background {colours[0]} is not dark");
            Assert.True(Luminance(colours[1]) > 0.6, $"node text {colours[1]} is not light");
            await FitAsync(page);
            await ZoomOnTheTopOfTheTreeAsync(page);
            if (screenshots)
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "process-build-tree-dark.png") });
            }

            // A click on a node opens that process.
            var assembler = await NearestToTheCentreAsync(page, page.Locator(".diagram-node").Filter(new() { HasText = "x86_64-linux-gnu-as(" }));
            var label = await assembler.Locator(".pg-label").TextContentAsync() ?? string.Empty;
            await assembler.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(ProcessUrl());
            await Assertions.Expect(page.GetByTestId("process-title")).ToContainTextAsync(label[..label.IndexOf('[', StringComparison.Ordinal)]);
            await Assertions.Expect(page.GetByTestId("ancestry-step")).ToHaveCountAsync(4); // as, sh, make, and make's parent

            // Leaving the graph every way a person can: another page, a reload, a closed tab.
            await page.GoBackAsync();
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-ready", "true");
            await page.GetByRole(AriaRole.Link, new() { Name = "Rates", Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveCountAsync(0);
            await page.GoBackAsync();

            // The layout may still be writing the viewed session into the address; reload only
            // once the page has settled, or the reload races that navigation (ERR_ABORTED).
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-ready", "true");
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator(".process-graph")).ToHaveAttributeAsync("data-ready", "true");
            await page.Context.CloseAsync();
            await Task.Delay(TimeSpan.FromSeconds(2)); // the server notices the closed circuit
            Assert.DoesNotContain("JSDisconnectedException", dashboard.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("ObjectDisposedException", dashboard.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", dashboard.Output, StringComparison.OrdinalIgnoreCase);
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

    /// <summary>Wheel-zooms towards make, where the top rows' labels can be read, and moves the pointer out of the way.</summary>
    private static async Task ZoomOnTheTopOfTheTreeAsync(IPage page)
    {
        await ShowTheGraphAsync(page);
        await ZoomTowardsAsync(page, page.Locator(".diagram-node:has([data-kind=root])"), notches: 16);

        // The fitted view puts make at the top edge, and zooming around it keeps it there: pull the
        // picture down by dragging an empty spot of the canvas, so make and its ancestors show.
        var spot = await page.Locator(".process-graph").EvaluateAsync<float[]>(
            """
            g => {
                const r = g.getBoundingClientRect();
                for (let y = r.top + 40; y < r.bottom - 120; y += 7) {
                    for (let x = r.left + 60; x < r.right - 20; x += 11) {
                        const hit = document.elementFromPoint(x, y);
                        if (hit && g.contains(hit) && !hit.closest('.diagram-node, .diagram-link, .process-graph-tools, path, line')) {
                            return [x, y];
                        }
                    }
                }
                return [];
            }
            """);
        Assert.Equal(2, spot.Length);
        var before = await GraphViewport.CurrentAsync(page);
        await page.Mouse.MoveAsync(spot[0], spot[1]);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(spot[0] + 40, spot[1] + 110, new MouseMoveOptions { Steps = 8 });
        await page.Mouse.UpAsync();
        await GraphViewport.WaitForOffsetAsync(page, before.X + 40, before.Y + 110, "dragging the canvas");
        await page.Mouse.MoveAsync(5, 5);
        await page.WaitForTimeoutAsync(500); // tooltips fade
    }

    /// <summary>Fits the whole tree and waits until it is drawn so (zoomed in before, the scale changes).</summary>
    private static async Task FitAsync(IPage page)
    {
        var zoomed = await GraphViewport.CurrentAsync(page);
        await page.GetByTestId("graph-fit").ClickAsync();
        await GraphViewport.WaitForScaleOtherThanAsync(page, zoomed.Scale, "fitting the tree");
    }

    /// <summary>
    /// Scrolls the page (at once, not smoothly) so the Descendants card (below ancestry and execs)
    /// starts just under the app bar, and returns once the scroll event has fired: the diagram sends
    /// its canvas's new position to the server from that event, and a wheel zoom sent before it
    /// would zoom around the old position, away from the pointer.
    /// </summary>
    private static async Task ShowTheGraphAsync(IPage page) =>
        await page.Locator(".process-graph").EvaluateAsync(
            """
            e => new Promise(resolve => {
                const before = window.scrollY;
                window.scrollTo({ top: e.closest('.mud-paper').getBoundingClientRect().top + window.scrollY - 72, behavior: 'instant' });
                if (window.scrollY === before) {
                    resolve();
                } else {
                    window.addEventListener('scroll', () => resolve(), { once: true });
                }
            })
            """);

    /// <summary>
    /// The one of <paramref name="nodes"/> nearest the graph's centre, by its node id: clear of the
    /// zoom buttons in the corner, and still found after zooming re-renders only what is in view.
    /// </summary>
    private static async Task<ILocator> NearestToTheCentreAsync(IPage page, ILocator nodes)
    {
        var id = await nodes.EvaluateAllAsync<string>(
            """
            nodes => {
                const g = document.querySelector('.process-graph').getBoundingClientRect();
                const distance = n => {
                    const r = n.getBoundingClientRect();
                    return Math.hypot(r.left + (r.width / 2) - g.left - (g.width / 2), r.top + (r.height / 2) - g.top - (g.height / 2));
                };
                return nodes.reduce((best, n) => distance(n) < distance(best) ? n : best).dataset.nodeId;
            }
            """);
        return page.Locator($".diagram-node[data-node-id=\"{id}\"]");
    }

    /// <summary>
    /// Wheel-zooms with the pointer on <paramref name="node"/>: the zoom keeps the point under the
    /// pointer, so the node stays in view at any box size. Returns once every notch is drawn, so the
    /// node no longer moves when the test points at it.
    /// </summary>
    private static async Task ZoomTowardsAsync(IPage page, ILocator node, int notches)
    {
        var box = await node.BoundingBoxAsync();
        Assert.NotNull(box);
        await page.Mouse.MoveAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
        await GraphViewport.WheelInAsync(page, notches);
    }

    /// <summary>Imports the generated log through the API, as <c>curl --data-binary @audit.log</c> would; returns make's process key.</summary>
    private static async Task<string> ImportBuildTreeAsync(DashboardProcess dashboard, int jobs)
    {
        using var log = new StringWriter();
        var recording = BuildTreeRecording.Write(log, jobs, Start);
        using var api = dashboard.ApiClient();
        using var response = await api.PostAsync(new Uri("api/sessions/import?name=build-tree", UriKind.Relative), new ByteArrayContent(Encoding.UTF8.GetBytes(log.ToString())));
        Assert.True(response.IsSuccessStatusCode, $"import: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var processes = JsonNode.Parse(await api.GetStringAsync(new Uri($"api/processes?pid={recording.MakePid}", UriKind.Relative)))!.AsArray();
        return processes.Single(p => (string?)p!["exe"] == "/usr/bin/make")!["key"]!.GetValue<string>();
    }

    /// <summary>Relative luminance (0 black … 1 white) of a CSS <c>rgb(r, g, b)</c> colour.</summary>
    private static double Luminance(string rgb)
    {
        var parts = RgbPattern().Match(rgb);
        Assert.True(parts.Success, $"not an rgb colour: {rgb}");
        double Channel(int i)
        {
            var c = double.Parse(parts.Groups[i].Value, CultureInfo.InvariantCulture) / 255;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(1)) + (0.7152 * Channel(2)) + (0.0722 * Channel(3));
    }

    [GeneratedRegex(@"rgba?\((\d+), (\d+), (\d+)")]
    private static partial Regex RgbPattern();

    [GeneratedRegex(@"/process/[^/]+/\d+/\d+$")]
    private static partial Regex ProcessUrl();
}
