using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport.Postgres;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Issue 11, replicas, as a person sees them: two dashboard processes on one PostgreSQL database;
/// the collectors of two hosts (file sources with <c>node=</c> names) ship to different replicas.
/// Replica A's live feed in real Chromium shows the execs shipped to replica B (fan-out by
/// LISTEN/NOTIFY), every exec once; both replicas' APIs list every event of both hosts once; A's
/// collectors page lists B's collector too.
/// </summary>
public sealed class ReplicasSharingPostgresTests(ITestOutputHelper output)
{
    [Fact]
    public async Task An_exec_shipped_to_replica_b_appears_in_replica_a_live_feed_and_both_list_every_event_once()
    {
        var work = Directory.CreateTempSubdirectory("execdash-e2e-replicas-").FullName;
        var browserLog = new List<string>();
        PostgresCluster? cluster = null;
        DashboardProcess? a = null;
        DashboardProcess? b = null;
        HeadlessChromium? chromium = null;
        ReplayingCollector? shippingToB = null;
        try
        {
            cluster = new PostgresCluster();
            var database = cluster.CreateDatabase();
            a = await DashboardProcess.StartAsync(settings: Replica(database, "replica-a"));
            b = await DashboardProcess.StartAsync(settings: Replica(database, "replica-b"));
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
            await page.GotoAsync(a.LoginLink!.ToString());
            await page.GotoAsync(new Uri(a.BaseAddress, "?fold=off").ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync("0 execs");

            // host-a ships to A, its own replica.
            var start = DateTimeOffset.UtcNow.AddSeconds(-20);
            await using (var shippingToA = await TwoHostFleet.StartAsync(TwoHostFleet.HostA, a, work, start))
            {
                var exit = await shippingToA.ExitCodeAsync();
                Assert.True(exit == 0, $"host-a's collector exited {exit}:\n{shippingToA.Stderr}");
            }

            await Assertions.Expect(page.GetByTestId("feed-row")).ToHaveCountAsync(TwoHostFleet.ExecsOf(TwoHostFleet.HostA));

            // host-b ships to B only. The delay is from B having committed (its API answers with the
            // execs) to A's page showing them, both polled every 20 ms.
            var total = TwoHostFleet.ExecsOf(TwoHostFleet.HostA) + TwoHostFleet.ExecsOf(TwoHostFleet.HostB);
            shippingToB = await TwoHostFleet.StartAsync(TwoHostFleet.HostB, b, work, start);
            var clock = Stopwatch.StartNew();
            using var apiB = b.ApiClient();
            var committedOnB = CommittedAsync(apiB, TwoHostFleet.HostB, TwoHostFleet.ExecsOf(TwoHostFleet.HostB), clock);
            await page.WaitForFunctionAsync(
                "n => document.querySelectorAll('[data-testid=feed-row]').length >= n",
                total,
                new PageWaitForFunctionOptions { Timeout = 60_000, PollingInterval = 20 });
            var shownOnA = clock.Elapsed;
            output.WriteLine($"Fan-out: replica A's live feed showed host-b's execs {(shownOnA - await committedOnB).TotalMilliseconds:0} ms after replica B had committed them.");

            await Assertions.Expect(page.GetByTestId("feed-row")).ToHaveCountAsync(total);
            await Assertions.Expect(page.GetByTestId("feed")).ToContainTextAsync("beta");
            await Assertions.Expect(page.GetByTestId("feed")).ToContainTextAsync(TwoHostFleet.HostB);
            var exitB = await shippingToB.ExitCodeAsync();
            Assert.True(exitB == 0, $"host-b's collector exited {exitB}:\n{shippingToB.Stderr}");

            // Both replicas list every event of both hosts, each once.
            foreach (var replica in new[] { a, b })
            {
                using var api = replica.ApiClient();
                foreach (var host in new[] { TwoHostFleet.HostA, TwoHostFleet.HostB })
                {
                    var events = await api.GetFromJsonAsync<JsonElement[]>($"api/events?host={host}&limit=1000") ?? [];
                    var serials = events.Select(e => e.GetProperty("event").GetProperty("serial").GetUInt64()).ToArray();
                    Assert.Equal(TwoHostFleet.ExecsOf(host), serials.Length);
                    Assert.Equal(serials.Length, serials.Distinct().Count());
                }
            }

            // A's collectors page lists the fleet: its own collector and B's, each with its replica.
            await page.GotoAsync(new Uri(a.BaseAddress, "collectors").ToString());
            await Assertions.Expect(page.GetByTestId("collector-row")).ToHaveCountAsync(2);
            await Assertions.Expect(page.GetByTestId("collector-replica").Filter(new() { HasText = "replica-a" })).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("collector-replica").Filter(new() { HasText = "replica-b" })).ToHaveCountAsync(1);
        }
        catch
        {
            if (a is not null)
            {
                await BrowserTestRun.KeepEvidenceAsync(work, a, browserLog, shippingToB?.Stderr);
            }

            throw;
        }
        finally
        {
            await BrowserTestRun.StopAsync(chromium, shippingToB, b, a);
            cluster?.Dispose();
            Directory.Delete(work, recursive: true);
        }
    }

    private static string[] Replica(string database, string name) =>
        ["--Dashboard:Store=postgres", $"--Dashboard:ConnectionString={database}", $"--Dashboard:ReplicaName={name}"];

    /// <summary>When <paramref name="api"/> first lists <paramref name="count"/> execs of <paramref name="host"/>, on <paramref name="clock"/>.</summary>
    private static async Task<TimeSpan> CommittedAsync(HttpClient api, string host, int count, Stopwatch clock)
    {
        while ((await api.GetFromJsonAsync<JsonElement[]>($"api/events?host={host}&limit=1000") ?? []).Length < count)
        {
            await Task.Delay(20);
        }

        return clock.Elapsed;
    }
}
