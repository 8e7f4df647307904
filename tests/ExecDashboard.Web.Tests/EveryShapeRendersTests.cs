using System.Net;
using System.Text.Json;
using ExecDashboard.Contracts;
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
    public async Task Rows_stored_before_validation_with_nulls_and_bad_keys_still_render()
    {
        var events = Enumerable.Range(0, 3).Select(i => TestEvents.Expr(60_000 + (ulong)i, DateTimeOffset.UtcNow)).ToArray();
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("old-rows", 1, events));
        }

        // What an older dashboard stored from a batch it did not validate: a null argument, a
        // null ancestor argument and exe, and an ancestor key that is not a key.
        await _server.StopAsync();
        using (var db = new SqliteConnection($"Data Source={Path.Combine(_server.DataDirectory, "execdashboard.db")};Pooling=False"))
        {
            db.Open();
            using var update = db.CreateCommand();
            update.CommandText = """
                UPDATE events SET argv = '["expr",null,"+"]',
                    ancestry = '[{"key":"not a key","pid":8024,"exe":null,"argv":[null]},null]'
                WHERE serial = 60001;
                UPDATE processes SET argv = '[null]' WHERE pid = 8024;
                """;
            Assert.Equal(2, update.ExecuteNonQuery());
        }

        await _server.StartAgainAsync();
        await AssertEverythingRendersAsync(_server, events);
    }

    /// <summary>Each page (prerendered by the server, as a browser's first request is) and each API view answers 200.</summary>
    internal static async Task AssertEverythingRendersAsync(DashboardServer server, IReadOnlyList<Domain.Events.ExecEvent> events)
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
            Assert.Contains($"{e.Exec.Pid}", html, StringComparison.Ordinal);

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
