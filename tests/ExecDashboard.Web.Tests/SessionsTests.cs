using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExecDashboard.TestSupport.Recordings;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed class SessionsTests : IAsyncLifetime
{
    private const int MaxImportBytes = 64 * 1024;
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync($"--Dashboard:MaxImportBytes={MaxImportBytes}");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_live_session_records_while_a_collector_is_connected_and_can_be_renamed_then_deleted_after()
    {
        using var client = _server.Client();
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        long id;
        await using (var shipper = CollectorConnections.Shipper(_server, spool))
        {
            for (ulong serial = 10_000; serial < 10_020; serial++)
            {
                await shipper.WriteAsync(TestEvents.Expr(serial));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await shipper.FlushAsync(timeout.Token);

            var live = (await DashboardApi.SessionsAsync(client)).Single(s => s.GetProperty("active").GetBoolean());
            id = live.GetProperty("id").GetInt64();
            Assert.StartsWith("Live ", live.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Equal(20, live.GetProperty("events").GetInt64());

            using var refused = await client.DeleteAsync($"/api/sessions/{id}");
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("recording", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var renamed = await client.PutAsJsonAsync($"/api/sessions/{id}", new { name = "sendmail storm" });
        Assert.Equal(HttpStatusCode.OK, renamed.StatusCode);
        var session = (await DashboardApi.SessionsAsync(client)).Single(s => s.GetProperty("id").GetInt64() == id);
        Assert.Equal("sendmail storm", session.GetProperty("name").GetString());

        // The collector left: the session ended and may go.
        await WaitUntilAsync(async () => (await DashboardApi.SessionsAsync(client)).Single(s => s.GetProperty("id").GetInt64() == id).GetProperty("ended").ValueKind != JsonValueKind.Null);
        using var deleted = await client.DeleteAsync($"/api/sessions/{id}");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain(await DashboardApi.SessionsAsync(client), s => s.GetProperty("id").GetInt64() == id);
        using var gone = await client.DeleteAsync($"/api/sessions/{id}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Export_then_import_gives_the_same_events_in_a_new_session()
    {
        using var client = _server.Client();
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        await using (var shipper = CollectorConnections.Shipper(_server, spool))
        {
            for (ulong serial = 20_000; serial < 20_030; serial++)
            {
                await shipper.WriteAsync(TestEvents.Expr(serial));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await shipper.FlushAsync(timeout.Token);
        }

        var source = (await DashboardApi.SessionsAsync(client)).First(s => s.GetProperty("events").GetInt64() == 30);
        var exported = await client.GetStringAsync($"/api/sessions/{source.GetProperty("id").GetInt64()}/export");

        using var imported = await client.PostAsync("/api/sessions/import?name=re-opened", new StringContent(exported, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var session = await JsonBody.ReadAsync(imported);
        Assert.Equal("re-opened", session.GetProperty("name").GetString());
        Assert.Equal(30, session.GetProperty("events").GetInt64());

        var again = await client.GetStringAsync($"/api/sessions/{session.GetProperty("id").GetInt64()}/export");
        Assert.Equal(Serials(exported), Serials(again));

        // Exports take turns (ExportGate): three asked for at once all arrive whole.
        var together = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => client.GetStringAsync($"/api/sessions/{source.GetProperty("id").GetInt64()}/export")));
        Assert.All(together, e => Assert.Equal(Serials(exported), Serials(e)));
    }

    [Fact]
    public async Task A_raw_audit_log_is_re_opened_as_a_session_with_its_execs()
    {
        using var client = _server.Client();
        var log = await File.ReadAllBytesAsync(Fixture("laurel/record-execve-long.txt"));

        using var response = await client.PostAsync("/api/sessions/import?name=long%20argument", new ByteArrayContent(log));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await JsonBody.ReadAsync(response);
        Assert.Equal("long argument", session.GetProperty("name").GetString());
        var events = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?session={session.GetProperty("id").GetInt64()}");
        var argv = Assert.Single(events!).GetProperty("event").GetProperty("argv");
        Assert.Equal(8192, argv[1].GetString()!.Length);
    }

    [Fact]
    public async Task An_audit_log_without_execs_gets_400_and_stores_nothing()
    {
        using var client = _server.Client();
        var before = await DashboardApi.SessionsAsync(client);

        using var response = await client.PostAsync("/api/sessions/import", new StringContent("type=GARBAGE no audit header here\ntype=ALSO broken\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("no exec event", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.Length, (await DashboardApi.SessionsAsync(client)).Length);
    }

    [Theory]
    [InlineData("{\"format\": \"execdashboard-session\", \"version\": 0, \"events\": [ {\"serial\": ")]
    [InlineData("{\"something\": \"else\"}")]
    [InlineData("\u0001\u0002 not a log")]
    public async Task A_broken_import_gets_400_with_the_reason_and_stores_nothing(string body)
    {
        using var client = _server.Client();
        var before = await DashboardApi.SessionsAsync(client);

        using var response = await client.PostAsync("/api/sessions/import", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Nothing was stored", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.Length, (await DashboardApi.SessionsAsync(client)).Length);
    }

    [Fact]
    public async Task An_import_over_the_size_limit_gets_413_and_stores_nothing()
    {
        using var client = _server.Client();
        var before = await DashboardApi.SessionsAsync(client);
        var huge = "{\"format\": \"execdashboard-session\", \"version\": 0, \"events\": [], \"pad\": \"" + new string('x', MaxImportBytes) + "\"}";

        using var response = await client.PostAsync("/api/sessions/import", new StringContent(huge, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("import limit", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.Length, (await DashboardApi.SessionsAsync(client)).Length);
    }

    [Fact]
    public async Task A_chunked_import_over_the_size_limit_gets_413_too()
    {
        using var client = _server.Client();
        var before = await DashboardApi.SessionsAsync(client);
        var content = new StreamContent(new MemoryStream(new byte[MaxImportBytes * 2]));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions/import") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(before.Length, (await DashboardApi.SessionsAsync(client)).Length);
    }

    [Fact]
    public async Task A_raw_log_that_passes_the_limit_while_it_is_parsed_gets_413_and_stores_nothing()
    {
        // Parsing starts with the first bytes, so the limit is met half way through the import.
        using var client = _server.Client();
        var before = await DashboardApi.SessionsAsync(client);
        using var log = new StringWriter();
        SendmailRecording.Write(log, runs: 12, n => 5 * n, new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(500));
        var body = Encoding.UTF8.GetBytes(log.ToString());
        Assert.True(body.Length > 2 * MaxImportBytes);
        var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentLength = null;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions/import") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("import limit", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before.Length, (await DashboardApi.SessionsAsync(client)).Length);
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

    private static ulong[] Serials(string export) =>
        [.. JsonDocument.Parse(export).RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("serial").GetUInt64()).Order()];

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail("The condition did not become true within 30 s.");
    }
}
