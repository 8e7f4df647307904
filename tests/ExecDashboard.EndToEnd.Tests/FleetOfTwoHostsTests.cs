using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.EndToEnd.Tests.Support;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Issue 11, many hosts: collectors of two hosts ship to one dashboard; every view can be narrowed
/// to a host, and a process chain never mixes hosts, even where their PIDs are the same.
/// </summary>
public sealed class FleetOfTwoHostsTests
{
    [Fact]
    public async Task Two_hosts_with_the_same_pids_are_kept_apart_in_events_chains_rates_and_sessions()
    {
        var work = Directory.CreateTempSubdirectory("execdash-e2e-fleet-").FullName;
        try
        {
            await using var dashboard = await DashboardProcess.StartAsync();
            await TwoHostFleet.ShipAsync(dashboard, work);
            using var api = dashboard.ApiClient();

            // The facet: each host with its number of execs.
            var hosts = await api.GetFromJsonAsync<JsonElement[]>("api/hosts") ?? [];
            Assert.Equal(
                [(TwoHostFleet.HostA, (long)TwoHostFleet.ExecsOf(TwoHostFleet.HostA)), (TwoHostFleet.HostB, (long)TwoHostFleet.ExecsOf(TwoHostFleet.HostB))],
                hosts.Select(h => (h.GetProperty("host").GetString(), h.GetProperty("execs").GetInt64())));

            foreach (var host in new[] { TwoHostFleet.HostA, TwoHostFleet.HostB })
            {
                var program = TwoHostFleet.ProgramOf(host);
                var other = TwoHostFleet.ProgramOf(host == TwoHostFleet.HostA ? TwoHostFleet.HostB : TwoHostFleet.HostA);

                var events = await api.GetFromJsonAsync<JsonElement[]>($"api/events?host={host}&limit=1000") ?? [];
                Assert.Equal(TwoHostFleet.ExecsOf(host), events.Length);
                Assert.All(events, e => Assert.Equal(host, e.GetProperty("event").GetProperty("host").GetString()));

                // The shell's children on this host, and only they, are its descendants; a child's chain is this host's shell.
                var shell = Assert.Single(events, e => e.GetProperty("event").GetProperty("pid").GetInt32() == TwoHostFleet.ShellPid).GetProperty("event").GetProperty("process").GetString();
                var descendants = await api.GetFromJsonAsync<JsonElement>($"api/processes/{shell}/descendants");
                var below = descendants.GetProperty("descendants").EnumerateArray().Select(p => p.GetProperty("exe").GetString()).ToArray();
                Assert.Equal(TwoHostFleet.ExecsOf(host) - 1, below.Length);
                Assert.All(below, exe => Assert.Equal($"/usr/bin/{program}", exe));

                var child = Assert.Single(events, e => e.GetProperty("event").GetProperty("pid").GetInt32() == TwoHostFleet.ShellPid + 1).GetProperty("event").GetProperty("process").GetString();
                var ancestry = await api.GetFromJsonAsync<JsonElement>($"api/processes/{child}/ancestry");
                var chain = ancestry.GetRawText();
                Assert.Contains($"run-{program}", chain, StringComparison.Ordinal);
                Assert.DoesNotContain($"run-{other}", chain, StringComparison.Ordinal);

                // Rates of one host name only its programs.
                var programs = (await api.GetFromJsonAsync<JsonElement[]>($"api/rates/programs?host={host}&top=50") ?? []).Select(p => p.GetRawText()).ToArray();
                Assert.Contains(programs, p => p.Contains($"run-{program}", StringComparison.Ordinal));
                Assert.DoesNotContain(programs, p => p.Contains(other, StringComparison.Ordinal));
                var parents = (await api.GetFromJsonAsync<JsonElement[]>($"api/rates/parents?host={host}&top=50") ?? []).Select(p => p.GetRawText()).ToArray();
                Assert.NotEmpty(parents);
                Assert.DoesNotContain(parents, p => p.Contains(other, StringComparison.Ordinal));

                var sessions = await api.GetFromJsonAsync<JsonElement[]>($"api/sessions?host={host}") ?? [];
                Assert.NotEmpty(sessions);
            }

            // Across hosts: both, and a host that shipped nothing has no session.
            Assert.Equal(TwoHostFleet.ExecsOf(TwoHostFleet.HostA) + TwoHostFleet.ExecsOf(TwoHostFleet.HostB), (await api.GetFromJsonAsync<JsonElement[]>("api/events?limit=1000"))!.Length);
            Assert.Empty(await api.GetFromJsonAsync<JsonElement[]>("api/sessions?host=host-c") ?? []);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
