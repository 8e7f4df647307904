using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary>The hub refuses, before storing anything, every batch the README's limits refuse.</summary>
public sealed class HubValidationTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public static TheoryData<string, string> BrokenEvents() => new()
    {
        { "null argument", "argv[1]" },
        { "argvBytes count differs from argv", "argvBytes" },
        { "argvBytes that do not decode to argv", "argvBytes[1]" },
        { "megabyte comm", "comm" },
        { "megabyte argument", "argv[1]" },
        { "megabyte process key", "process.boot" },
        { "megabyte ancestor key", "ancestry[0].key.boot" },
        { "negative pid", "pid" },
        { "process key of another pid", "process" },
        { "NUL in exe", "exe" },
        { "unknown syscall", "syscall" },
        { "megabyte host", "host" },
    };

    [Theory]
    [MemberData(nameof(BrokenEvents))]
    public async Task A_batch_with_a_broken_event_is_refused_naming_event_and_field_and_nothing_is_stored(string broken, string field)
    {
        var valid = Enumerable.Range(0, 3).Select(i => TestEvents.Expr(20_000 + (ulong)i).ToMessage()).ToArray();
        var batch = new CollectorBatch
        {
            CollectorId = "validation",
            Host = TestEvents.Host,
            BatchSeq = 1,
            Events = [valid[0], Break(valid[1], broken), valid[2]],
            Status = new CollectorStatus(),
        };

        var refusal = await RefusalAsync(batch);

        Assert.Contains("event 1", refusal, StringComparison.Ordinal);
        Assert.Contains($"'{field}'", refusal, StringComparison.Ordinal);
        Assert.True(refusal.Length < 1000, "The refusal quotes no megabyte value back.");
    }

    public static TheoryData<string, string> BrokenExits() => new()
    {
        { "no list", "null list of exits" },
        { "a nil end", "exit 1: the exit is null" },
        { "an end without its process", "exit 1" },
    };

    [Theory]
    [MemberData(nameof(BrokenExits))]
    public async Task A_batch_with_broken_exits_is_refused_naming_the_exit_and_nothing_is_stored(string broken, string says)
    {
        var end = new ProcessExitMessage { Time = new IsoTime(1_700_000_000_000_000), Started = new IsoTime(1_699_999_999_000_000), Pid = 4242, Process = $"{TestEvents.Boot}/4242/1", ExitCode = 0 };
        IReadOnlyList<ProcessExitMessage> exits = broken switch
        {
            "no list" => null!,
            "a nil end" => [end, null!],
            "an end without its process" => [end, new ProcessExitMessage { Time = end.Time, Started = end.Started, Pid = 4243, Process = null!, ExitCode = 0 }],
            _ => throw new ArgumentOutOfRangeException(nameof(broken), broken, null),
        };
        var batch = new CollectorBatch
        {
            CollectorId = "validation-exits",
            Host = TestEvents.Host,
            BatchSeq = 1,
            Events = [TestEvents.Expr(22_000).ToMessage()],
            Exits = exits,
            Status = new CollectorStatus(),
        };

        Assert.Contains(says, await RefusalAsync(batch), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_collector_id_seen_only_in_a_refused_batch_is_not_left_connected()
    {
        using var client = _server.Client();
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            var broken = CollectorConnections.Batch("ghost", 1, [TestEvents.Expr(21_000)]);
            broken = new CollectorBatch { CollectorId = broken.CollectorId, Host = broken.Host, BatchSeq = 1, Status = broken.Status, Events = [Break(broken.Events[0], "negative pid")] };
            await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, broken));
            var huge = new CollectorBatch { CollectorId = new string('g', 1_000_000), Host = TestEvents.Host, BatchSeq = 1, Status = new CollectorStatus(), Events = [] };
            await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, huge));

            // The same connection then sends under its real id.
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("real", 1, [TestEvents.Expr(21_001)]));
            var ghost = await CollectorAsync(client, "ghost");
            Assert.False(ghost.GetProperty("connected").GetBoolean());
            Assert.Equal(1, ghost.GetProperty("batchesRejected").GetInt64());
        }

        var collectors = await client.GetFromJsonAsync<JsonElement[]>("/api/collectors");
        Assert.DoesNotContain(collectors!, c => c.GetProperty("collectorId").GetString()!.StartsWith("ggg", StringComparison.Ordinal));
        await WaitUntilAsync(async () => !(await CollectorAsync(client, "real")).GetProperty("connected").GetBoolean());
        Assert.False((await CollectorAsync(client, "ghost")).GetProperty("connected").GetBoolean());
    }

    internal static ExecEventMessage Break(ExecEventMessage m, string how) => how switch
    {
        "null argument" => EventMessages.With(m, argv: ["expr", null!, "+"]),
        "argvBytes count differs from argv" => EventMessages.With(m, argvBytes: [[0x65]]),
        "argvBytes that do not decode to argv" => EventMessages.With(m, argv: ["a", "b"], argvBytes: [[0x61], [0x63]]),
        "megabyte comm" => EventMessages.With(m, comm: new string('c', 1_000_000)),
        "megabyte argument" => EventMessages.With(m, argv: ["expr", new string('a', 1_000_000)]),
        "megabyte process key" => EventMessages.With(m, process: $"{new string('b', 1_000_000)}/{m.Pid}/1"),
        "megabyte ancestor key" => EventMessages.With(m, ancestry: [new AncestorMessage { Key = $"{new string('b', 1_000_000)}/1/1", Pid = 1, Exe = "/sbin/init", Argv = [], Provenance = 0 }]),
        "negative pid" => EventMessages.With(m, pid: -5),
        "process key of another pid" => EventMessages.With(m, process: $"{TestEvents.Boot}/{m.Pid + 1}/1"),
        "NUL in exe" => EventMessages.With(m, exe: "/usr/bin/ex\0pr"),
        "unknown syscall" => EventMessages.With(m, syscall: "fork"),
        "megabyte host" => EventMessages.With(m, host: new string('h', 1_000_000)),
        _ => throw new ArgumentOutOfRangeException(nameof(how), how, null),
    };

    /// <summary>
    /// Pushes <paramref name="batch"/> on a connection of its own and returns the hub's refusal,
    /// checked to have stored nothing and kept the connection open.
    /// </summary>
    private async Task<string> RefusalAsync(CollectorBatch batch)
    {
        using var client = _server.Client();
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var before = await DashboardApi.TotalEventsAsync(client);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch));

        Assert.Contains(CollectorHubContract.RejectionPrefix, ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, await DashboardApi.TotalEventsAsync(client));
        Assert.Equal(HubConnectionState.Connected, connection.State);
        return ex.Message;
    }

    private static async Task<JsonElement> CollectorAsync(HttpClient client, string id)
    {
        var collectors = await client.GetFromJsonAsync<JsonElement[]>("/api/collectors");
        return Assert.Single(collectors!, c => c.GetProperty("collectorId").GetString() == id);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("The condition did not hold within 10 s.");
    }
}
