using ExecDashboard.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Issue 11, many hosts, as a person sees it: collectors of two hosts ship to the real dashboard;
/// the feed in real Chromium shows both hosts with their counts, a click narrows the feed to one,
/// the address says so, and the next page keeps the choice.
/// </summary>
public sealed class FleetHostsInTheBrowserTests
{
    [Fact]
    public async Task The_feed_shows_both_hosts_and_a_click_narrows_every_page_to_one()
    {
        var work = Directory.CreateTempSubdirectory("execdash-e2e-fleet-browser-").FullName;
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync();
            await TwoHostFleet.ShipAsync(dashboard, work);
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync(" execs");
            await page.GotoAsync(new Uri(dashboard.BaseAddress, "?fold=off").ToString());

            var facet = page.GetByTestId("host-facet");
            var total = TwoHostFleet.ExecsOf(TwoHostFleet.HostA) + TwoHostFleet.ExecsOf(TwoHostFleet.HostB);
            await Assertions.Expect(facet).ToContainTextAsync($"All hosts ({total})");
            await Assertions.Expect(facet).ToContainTextAsync($"{TwoHostFleet.HostA} ({TwoHostFleet.ExecsOf(TwoHostFleet.HostA)})");
            await Assertions.Expect(facet).ToContainTextAsync($"{TwoHostFleet.HostB} ({TwoHostFleet.ExecsOf(TwoHostFleet.HostB)})");
            await Assertions.Expect(page.GetByTestId("feed-row")).ToHaveCountAsync(total);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "feed-two-hosts.png") });

            await facet.Locator($"[data-host='{TwoHostFleet.HostB}']").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"host={TwoHostFleet.HostB}"));
            await Assertions.Expect(page.GetByTestId("feed-row")).ToHaveCountAsync(TwoHostFleet.ExecsOf(TwoHostFleet.HostB));
            await Assertions.Expect(page.GetByTestId("feed")).Not.ToContainTextAsync("alpha");
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync($"host {TwoHostFleet.HostB}");

            // Another page keeps the host: the rates name only its programs.
            await page.GetByRole(AriaRole.Link, new() { Name = "Rates", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"rates.*host={TwoHostFleet.HostB}"));
            await Assertions.Expect(page.GetByTestId("host-facet").Locator("[data-selected='true']")).ToContainTextAsync(TwoHostFleet.HostB);
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync("run-beta");
            await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync("run-alpha");
        }
        catch
        {
            if (dashboard is not null)
            {
                await BrowserTestRun.KeepEvidenceAsync(work, dashboard, browserLog);
            }

            throw;
        }
        finally
        {
            await BrowserTestRun.StopAsync(chromium, dashboard);
            Directory.Delete(work, recursive: true);
        }
    }
}
