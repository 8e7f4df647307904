using System.Net;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// Every event shape the validator admits is stored, and then every page and every API view of
/// it answers: one odd event must never make a page (or its ancestors' pages) fail.
/// </summary>
public sealed class EveryShapeRendersTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_admitted_shape_is_stored_and_renders_on_every_page_and_api_view()
    {
        var shapes = AdmittedShapes.All(50_000, DateTimeOffset.UtcNow);
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            long seq = 1;
            foreach (var (name, e) in shapes)
            {
                var ack = await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("shapes", seq++, [e]));
                Assert.True(ack.Stored == 1, $"'{name}' was not stored.");
            }
        }

        await AssertEverythingRendersAsync(_server, shapes.Select(s => s.Event).ToArray());

        // The live session's export imports again (a null argument once made that impossible).
        using var api = _server.Client();
        var live = (await DashboardApi.SessionsAsync(api)).Single(s => s.GetProperty("origin").GetString() == "live");
        var export = await api.GetByteArrayAsync($"/api/sessions/{live.GetProperty("id").GetInt64()}/export");
        using var again = await api.PostAsync("/api/sessions/import?name=shapes%20again", new ByteArrayContent(export));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(shapes.Count, (await JsonBody.ReadAsync(again)).GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task Rows_of_a_version_1_database_with_nulls_and_bad_keys_migrate_and_render()
    {
        // What an older dashboard stored from batches it did not validate: a null argument, an
        // ancestor with a key that is not a key, a null ancestor, a null ancestor argument and
        // exe, a process whose arguments are [null] and one whose key cannot be read.
        var data = Directory.CreateTempSubdirectory("execdash-old-rows-").FullName;
        using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "execdashboard.db")};Pooling=False"))
        {
            db.Open();
            using var setup = db.CreateCommand();
            setup.CommandText = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema-v1.sql"));
            setup.ExecuteNonQuery();
            using var update = db.CreateCommand();
            update.CommandText = """
                UPDATE events SET argv = '["systemctl",null]',
                    ancestry = '[{"key":"not a key","pid":10000,"exe":null,"argv":[null]},null,{"key":"audit-log/4000/170000000000","pid":4000,"exe":null,"argv":null,"provenance":9}]'
                WHERE serial = 1001 AND origin = 1;
                UPDATE processes SET argv = '[null]' WHERE pid = 10000;
                UPDATE processes SET key = 'not a key' WHERE key = (SELECT key FROM processes WHERE pid = 4000 LIMIT 1);
                """;
            Assert.True(update.ExecuteNonQuery() >= 3);
        }

        await using var old = await DashboardServer.StartOnAsync(data);
        using var api = old.Client();
        var rows = (await JsonBody.ReadAsync(await api.GetAsync("/api/events?limit=1000"))).EnumerateArray().Select(e => e.GetProperty("event")).ToArray();
        Assert.Equal(16, rows.Length);
        Assert.Contains(rows, e => e.GetProperty("serial").GetUInt64() == 1001
            && e.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).SequenceEqual(["systemctl", ""]));

        var processes = rows
            .Select(e => (Process: ProcessKey.Parse(e.GetProperty("process").GetString()!), Parent: e.TryGetProperty("parent", out var p) ? ProcessKey.Parse(p.GetString()!) : ProcessKey.None, Pid: e.GetProperty("pid").GetInt32()))
            .ToArray();
        await AssertEverythingRendersAsync(old, processes);
    }

    /// <summary>Each page (prerendered by the server, as a browser's first request is) and each API view answers 200.</summary>
    internal static Task AssertEverythingRendersAsync(DashboardServer server, IReadOnlyList<Domain.Events.ExecEvent> events) =>
        AssertEverythingRendersAsync(server, events.Select(e => (e.Process, e.Parent, e.Exec.Pid)).ToArray());

    /// <inheritdoc cref="AssertEverythingRendersAsync(DashboardServer, IReadOnlyList{Domain.Events.ExecEvent})"/>
    internal static async Task AssertEverythingRendersAsync(DashboardServer server, IReadOnlyList<(ProcessKey Process, ProcessKey Parent, int Pid)> events)
    {
        using var browser = await BrowserLogin.LogInAsync(server);
        foreach (var page in new[] { "/", "/rates", "/sessions", "/collectors", $"/{ProcessLinks.Process(TestEvents.Sendmail.Key)}" })
        {
            using var response = await browser.Client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page} answered {(int)response.StatusCode}.");
        }

        foreach (var e in events)
        {
            var link = "/" + ProcessLinks.Process(e.Process);
            using var page = await browser.Client.GetAsync(link);
            Assert.True(page.StatusCode == HttpStatusCode.OK, $"{link} answered {(int)page.StatusCode}.");
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains($"{e.Pid}", html, StringComparison.Ordinal);

            var key = Uri.EscapeDataString(e.Process.ToString());
            foreach (var view in new[] { string.Empty, "/ancestry", "/descendants", "/graph" })
            {
                using var api = await browser.Client.GetAsync($"/api/processes/{key}{view}");
                Assert.True(api.StatusCode == HttpStatusCode.OK, $"/api/processes/{key}{view} answered {(int)api.StatusCode}.");
            }

            if (!e.Parent.IsNone)
            {
                using var parent = await browser.Client.GetAsync($"/api/processes/{Uri.EscapeDataString(e.Parent.ToString())}/graph");
                Assert.True(parent.StatusCode == HttpStatusCode.OK, $"the graph of {e.Parent} answered {(int)parent.StatusCode}.");
            }
        }

        using var list = await browser.Client.GetAsync("/api/events?limit=10000");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        using var document = JsonDocument.Parse(await list.Content.ReadAsStreamAsync());
        Assert.True(document.RootElement.GetArrayLength() >= events.Count);
    }
}
