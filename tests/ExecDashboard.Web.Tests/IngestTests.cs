using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Shipping;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

public sealed class IngestTests : IAsyncLifetime
{
    private const int MaxEventsPerBatch = 100;
    private DashboardServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await DashboardServer.StartAsync($"--Dashboard:MaxEventsPerBatch={MaxEventsPerBatch}", "--Dashboard:MaxHubMessageBytes=262144", "--Dashboard:StormThresholdPerSecond=10");

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Events_shipped_by_a_collector_are_stored_with_their_lineage()
    {
        using var client = _server.Client();
        var before = await DashboardApi.TotalEventsAsync(client);
        var shipped = await ShipExprsAsync(1_000, 250);
        Assert.Equal(0, shipped.PendingBatches);
        Assert.Equal(250, shipped.EventsAccepted);
        Assert.Equal(0, shipped.RejectedBatches);
        Assert.Equal(shipped.LastSpooledBatch, shipped.AcknowledgedBatch);

        Assert.Equal(before + 250, await DashboardApi.TotalEventsAsync(client));

        var expr = TestEvents.Expr(1_100);
        var found = await client.GetFromJsonAsync<JsonElement[]>($"/api/processes?pid={expr.Exec.Pid}&exe=expr");
        Assert.Contains(found!, p => p.GetProperty("key").GetString() == expr.Process.ToString());

        var ancestry = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{expr.Process}/ancestry");
        var chain = ancestry.GetProperty("ancestry").EnumerateArray().Select(a => a.GetProperty("exe").GetString()!).ToArray();
        Assert.Equal(["/usr/bin/bash", "/usr/lib/systemd/systemd"], chain);
        Assert.Equal("execSeen", ancestry.GetProperty("process").GetProperty("provenance").GetString());

        var descendants = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{TestEvents.Sendmail.Key}/descendants");
        Assert.True(descendants.GetProperty("descendants").GetArrayLength() >= 250);

        // 250 expr children of one parent collapse into one node of the process view.
        var graph = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{TestEvents.Sendmail.Key}/graph");
        var group = Assert.Single(graph.GetProperty("nodes").EnumerateArray(), n => n.GetProperty("exe").GetString() == "/usr/bin/expr");
        Assert.Equal(250, group.GetProperty("count").GetInt32());
        Assert.Equal("group", group.GetProperty("kind").GetString());
        Assert.Equal(TestEvents.Sendmail.Key.ToString(), graph.GetProperty("nodes")[0].GetProperty("key").GetString());

        var filtered = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?argv=1100&descendantOf={TestEvents.Sendmail.Key}");
        Assert.Equal([1_100UL], filtered!.Select(e => e.GetProperty("event").GetProperty("serial").GetUInt64()));
        var page = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?exe=expr&limit=10");
        Assert.Equal(10, page!.Length);

        var rates = await client.GetFromJsonAsync<JsonElement[]>("/api/rates/parents?window=60&top=5");
        Assert.Equal(TestEvents.Sendmail.Key.ToString(), rates![0].GetProperty("parent").GetString());
        Assert.Equal("/usr/bin/expr", rates[0].GetProperty("topChildren")[0].GetProperty("exe").GetString());
        Assert.Equal(250, rates[0].GetProperty("execs").GetInt64());

        // 250 execs within a second or two pass 10 execs/s over the 10 s storm window.
        var storms = await client.GetFromJsonAsync<JsonElement[]>("/api/rates/storms");
        var storm = Assert.Single(storms!, s => s.GetProperty("parent").GetString() == TestEvents.Sendmail.Key.ToString());
        Assert.Equal("/usr/bin/expr", storm.GetProperty("topChildren")[0].GetProperty("exe").GetString());
    }

    [Fact]
    public async Task Batches_in_flight_at_once_are_stored_in_the_order_sent()
    {
        // 30 batches of 100, sent up to CollectorHubContract.BatchesInFlight at a time, which the
        // hub runs side by side: the writer must still take them in the collector's order.
        using var client = _server.Client();
        Assert.Equal(0, (await ShipExprsAsync(50_000, 3_000)).RejectedBatches);

        var stored = (await client.GetFromJsonAsync<JsonElement[]>("/api/events?exe=expr&limit=10000"))!
            .Select(e => (Id: e.GetProperty("id").GetInt64(), Serial: e.GetProperty("event").GetProperty("serial").GetUInt64()))
            .Where(e => e.Serial is >= 50_000 and < 53_000)
            .OrderBy(e => e.Id)
            .Select(e => e.Serial)
            .ToArray();
        Assert.Equal(3_000, stored.Length);
        Assert.Equal(Enumerable.Range(50_000, 3_000).Select(s => (ulong)s), stored);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_same_batch_sent_twice_is_stored_once(bool json)
    {
        using var client = _server.Client();
        await using var connection = await CollectorConnections.ConnectAsync(_server, json: json);
        var first = json ? 2_000UL : 3_000UL;
        var batch = CollectorConnections.Batch($"resend-{json}", 7, Enumerable.Range(0, 40).Select(i => TestEvents.Expr(first + (ulong)i)));
        var before = await DashboardApi.TotalEventsAsync(client);

        var ack1 = await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch);
        var ack2 = await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch);

        Assert.Equal((7L, 40, 0), (ack1.DurableBatchSeq, ack1.Stored, ack1.Duplicates));
        Assert.Equal((7L, 0, 40), (ack2.DurableBatchSeq, ack2.Stored, ack2.Duplicates));
        Assert.Equal(before + 40, await DashboardApi.TotalEventsAsync(client));
    }

    [Fact]
    public async Task A_malformed_batch_is_rejected_whole_with_the_reason_and_nothing_is_stored()
    {
        using var client = _server.Client();
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var events = Enumerable.Range(0, 3).Select(i => TestEvents.Expr(4_000 + (ulong)i).ToMessage()).ToArray();
        var broken = EventMessages.With(events[1], process: "not-a-key");
        var batch = new CollectorBatch
        {
            CollectorId = "malformed",
            Host = TestEvents.Host,
            BatchSeq = 1,
            Events = [events[0], broken, events[2]],
            Status = new CollectorStatus(),
        };
        var before = await DashboardApi.TotalEventsAsync(client);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch));

        Assert.Contains(CollectorHubContract.RejectionPrefix, ex.Message, StringComparison.Ordinal);
        Assert.Contains("event 1", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not-a-key", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DashboardApi.TotalEventsAsync(client));
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task A_batch_over_the_event_limit_is_rejected_and_nothing_is_stored()
    {
        using var client = _server.Client();
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var batch = CollectorConnections.Batch("oversized", 1, Enumerable.Range(0, MaxEventsPerBatch + 1).Select(i => TestEvents.Expr(5_000 + (ulong)i)));
        var before = await DashboardApi.TotalEventsAsync(client);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch));

        Assert.Contains($"more than the limit of {MaxEventsPerBatch}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DashboardApi.TotalEventsAsync(client));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_closes_the_connection_and_nothing_is_stored()
    {
        using var client = _server.Client();
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        var huge = TestEvents.Expr(6_000) with { };
        var message = huge.ToMessage();
        var bloated = CollectorConnections.Batch("bloated", 1, []);
        bloated = new CollectorBatch
        {
            CollectorId = bloated.CollectorId,
            Host = bloated.Host,
            BatchSeq = 1,
            Status = bloated.Status,
            Events = [EventMessages.With(message, argv: ["expr", new string('x', 400_000)])],
        };
        var before = await DashboardApi.TotalEventsAsync(client);

        await Assert.ThrowsAnyAsync<Exception>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, bloated));

        var reason = await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("maximum message size", reason?.Message ?? string.Empty, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(before, await DashboardApi.TotalEventsAsync(client));
    }

    [Fact]
    public async Task Collector_state_and_losses_are_tracked_while_connected_and_after()
    {
        using var client = _server.Client();
        var connection = await CollectorConnections.ConnectAsync(_server);
        try
        {
            var batch = new CollectorBatch
            {
                CollectorId = "state-check",
                Host = "storm-host",
                BatchSeq = 3,
                Events = [TestEvents.Expr(7_000).ToMessage()],
                Status = new CollectorStatus { KernelLost = 5, SerialGaps = 3, Malformed = 1, QueueDrops = 2, EventsPerSec = 1234.5 },
            };
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch);

            var state = await CollectorAsync(client, "state-check");
            Assert.True(state.GetProperty("connected").GetBoolean());
            Assert.Equal("storm-host", state.GetProperty("host").GetString());
            Assert.Equal(5, state.GetProperty("kernelLost").GetInt64());
            Assert.Equal(3, state.GetProperty("serialGaps").GetInt64());
            Assert.Equal(1234.5, state.GetProperty("eventsPerSec").GetDouble());
            Assert.Equal(1, state.GetProperty("eventsStored").GetInt64());
            Assert.Equal(3, state.GetProperty("durableBatchSeq").GetInt64());
            // The growth of its loss counters is stored as gaps of the live session and exported.
            var live = (await DashboardApi.SessionsAsync(client)).Single(x => x.GetProperty("active").GetBoolean());
            using var export = JsonDocument.Parse(await client.GetStringAsync($"/api/sessions/{live.GetProperty("id").GetInt64()}/export"));
            var gaps = export.RootElement.GetProperty("gaps").EnumerateArray().Where(g => g.GetProperty("host").GetString() == "state-check").ToArray();
            Assert.Contains(gaps, g => g.GetProperty("kind").GetString() == "kernelLost" && g.GetProperty("count").GetInt64() == 5);
            Assert.Contains(gaps, g => g.GetProperty("kind").GetString() == "serialGap" && g.GetProperty("count").GetInt64() == 3);

            var health = await client.GetFromJsonAsync<JsonElement>("/api/health");
            Assert.True(health.GetProperty("connectedCollectors").GetInt32() >= 1);
        }
        finally
        {
            await connection.DisposeAsync();
        }

        for (var i = 0; i < 100 && (await CollectorAsync(client, "state-check")).GetProperty("connected").GetBoolean(); i++)
        {
            await Task.Delay(100);
        }

        Assert.False((await CollectorAsync(client, "state-check")).GetProperty("connected").GetBoolean());
    }

    private static async Task<JsonElement> CollectorAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonElement[]>("/api/collectors"))!.Single(c => c.GetProperty("collectorId").GetString() == id);

    /// <summary>Ships <paramref name="count"/> expr execs from <paramref name="firstSerial"/> through a real shipper, until all are acknowledged.</summary>
    private async Task<ShippingStatus> ShipExprsAsync(ulong firstSerial, int count)
    {
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        await using var shipper = CollectorConnections.Shipper(_server, spool, MaxEventsPerBatch);
        for (var serial = firstSerial; serial < firstSerial + (ulong)count; serial++)
        {
            // Rates are windows ending now: these execs happen now.
            await shipper.WriteAsync(TestEvents.Expr(serial, DateTimeOffset.UtcNow));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await shipper.FlushAsync(timeout.Token);
        return shipper.Status;
    }
}
