using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// One exec, every way it travels: collector hub (MessagePack), the store, <c>/api/events</c>
/// (JSON), a session export and its import, all read back through the one contract.
/// </summary>
public sealed class ExecContractApiTests : IAsyncLifetime
{
    private const string Boot = "c0471ac7";
    private const string ExeMark = "contract-shape";
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Every shape the contract must carry, at microsecond times (the store's precision).</summary>
    private static ExecEvent[] Shapes()
    {
        var init = Ancestors.Of(new ProcessKey(Boot, 1, 1), $"/sbin/{ExeMark}-init", Provenance.ProcSnapshot, "/sbin/init");
        var shell = Ancestors.Inferred(new ProcessKey(Boot, 600, 6000));
        var time = new DateTimeOffset(2026, 11, 24, 16, 5, 12, TimeSpan.Zero).AddTicks(1_234_560);
        return
        [
            ExecBuilder.Of($"/usr/bin/{ExeMark}-printf", "printf").NonUtf8Argument([0x63, 0x61, 0x66, 0xE9]).Truncated()
                .Key(new ProcessKey(Boot, 700, 7000)).Under(shell, init).At(time).Serial(31_001).Host(TestEvents.Host).Build(),
            ExecBuilder.Of($"/nonexistent/{ExeMark}", $"/nonexistent/{ExeMark}", "a b").Failed()
                .Key(new ProcessKey(Boot, 701, 7010)).Under(shell, init).At(time.AddMilliseconds(1)).Serial(31_002).Host(TestEvents.Host).Build(),
            ExecBuilder.Of($"/sbin/{ExeMark}-init", "/sbin/init")
                .Key(init.Key).At(time.AddMilliseconds(2)).Serial(31_003).Host(TestEvents.Host).Build(),
        ];
    }

    [Fact]
    public async Task Execs_read_back_from_the_api_and_from_a_re_imported_export_equal_what_the_collector_sent()
    {
        var sent = Shapes();
        using var client = _server.Client();
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("contract", 1, sent));
        }

        var answer = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?exe={ExeMark}");
        Assert.Equal(ExecDump.Of(sent), ExecDump.Of(Read(answer!)));

        // The same session exported (format version 2) and imported again reads back the same.
        var session = answer![0].GetProperty("session").GetInt64();
        var export = await client.GetStringAsync($"/api/sessions/{session}/export");
        Assert.Contains("\"version\":2,", export, StringComparison.Ordinal);
        using var imported = await client.PostAsync("/api/sessions/import?name=contract", new StringContent(export, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var importedId = (await JsonBody.ReadAsync(imported)).GetProperty("id").GetInt64();
        var reimported = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?exe={ExeMark}&session={importedId}");
        Assert.Equal(ExecDump.Of(sent), ExecDump.Of(Read(reimported!)));
    }

    [Fact]
    public async Task An_api_event_has_the_jsonl_shape_iso_time_and_no_nulls()
    {
        using var client = _server.Client();
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("contract-shape", 1, Shapes()));
        }

        var answer = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?exe={ExeMark}");
        var init = answer!.Select(e => e.GetProperty("event")).Single(e => e.GetProperty("pid").GetInt32() == 1);
        var printf = answer!.Select(e => e.GetProperty("event")).Single(e => e.GetProperty("pid").GetInt32() == 700);

        Assert.Equal(["id", "session", "event"], answer![0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("2026-11-24T16:05:12.123456Z", printf.GetProperty("time").GetString());
        Assert.False(printf.TryGetProperty("timeUnixMicros", out _));
        Assert.Equal(["cHJpbnRm", "Y2Fm6Q=="], printf.GetProperty("argvBytes").EnumerateArray().Select(b => b.GetString()));
        Assert.True(printf.GetProperty("argvTruncated").GetBoolean());
        Assert.Equal(["inferred", "procSnapshot"], printf.GetProperty("ancestry").EnumerateArray().Select(a => a.GetProperty("provenance").GetString()));
        Assert.False(init.TryGetProperty("parent", out _));
        Assert.False(init.TryGetProperty("argvBytes", out _));
        Assert.False(init.TryGetProperty("argvTruncated", out _));
        Assert.All(answer!, e => Assert.DoesNotContain("null", e.GetRawText(), StringComparison.Ordinal));
    }

    private static IEnumerable<ExecEvent> Read(JsonElement[] answer) =>
        answer.Select(e => e.GetProperty("event").Deserialize(ContractJsonContext.Default.ExecEventMessage)!.ToDomain()).OrderBy(e => e.Exec.Serial);
}
