using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The real dashboard on <c>--Dashboard:Store=postgres</c>: every API answers from the server's database.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresDashboardTests(PostgresCluster cluster)
{
    [Fact]
    public async Task The_dashboard_imports_ships_queries_and_exports_through_postgres_and_keeps_it_across_a_restart()
    {
        await using var server = await DashboardServer.StartAsync("--Dashboard:Store=postgres", $"--Dashboard:ConnectionString={cluster.CreateDatabase()}");
        using var client = server.Client();

        var health = await JsonBody.ReadAsync(await client.GetAsync("/api/health"));
        Assert.Equal("postgres", health.GetProperty("store").GetString());
        Assert.Equal(2, health.GetProperty("schemaVersion").GetInt32());

        using var imported = await client.PostAsync("/api/sessions/import?name=from%20a%20log", new ByteArrayContent(await File.ReadAllBytesAsync(Fixture("laurel/record-execve-long.txt"))));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var session = (await JsonBody.ReadAsync(imported)).GetProperty("id").GetInt64();
        var importedEvents = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?session={session}");
        Assert.Equal(8192, Assert.Single(importedEvents!).GetProperty("event").GetProperty("argv")[1].GetString()!.Length);

        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        await using (var shipper = CollectorConnections.Shipper(server, spool))
        {
            for (ulong serial = 1; serial <= 30; serial++)
            {
                await shipper.WriteAsync(TestEvents.Expr(serial, DateTimeOffset.UtcNow));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await shipper.FlushAsync(timeout.Token);
            Assert.Equal(30, shipper.Status.EventsAccepted);
        }

        var expr = TestEvents.Expr(12);
        var ancestry = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{expr.Process}/ancestry");
        Assert.Equal(["/usr/bin/bash", "/usr/lib/systemd/systemd"], ancestry.GetProperty("ancestry").EnumerateArray().Select(a => a.GetProperty("exe").GetString()!));
        var graph = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{TestEvents.Sendmail.Key}/graph");
        Assert.Equal(30, graph.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("exe").GetString() == "/usr/bin/expr").GetProperty("count").GetInt32());
        Assert.Equal([12UL], (await client.GetFromJsonAsync<JsonElement[]>("/api/events?argv=12&exe=expr"))!.Select(e => e.GetProperty("event").GetProperty("serial").GetUInt64()));
        var serials = await DashboardApi.AllSerialsAsync(client);

        await server.StopAsync();
        await server.StartAgainAsync();

        Assert.Equal(serials.Order(), (await DashboardApi.AllSerialsAsync(client)).Order());
        Assert.Equal(31, await DashboardApi.TotalEventsAsync(client));
        using var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>Audit fixtures live beside the repository, in ../shared/fixtures/audit.</summary>
    private static string Fixture(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExecDashboard.sln")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "audit", relative));
    }
}
