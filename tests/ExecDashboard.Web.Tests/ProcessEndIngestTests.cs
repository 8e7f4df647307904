using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Tests.Support;
using MessagePack;
using MessagePack.Resolvers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary>Process ends shipped in collector batches: stored once, shown by the API, refused when malformed.</summary>
public sealed class ProcessEndIngestTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_shipped_end_shows_in_the_api_with_code_signal_and_duration_and_a_process_without_one_runs()
    {
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        var exited = TestEvents.Expr(5_001);
        var killed = TestEvents.Expr(5_002);
        var running = TestEvents.Expr(5_003);
        await using (var shipper = CollectorConnections.Shipper(_server, spool))
        {
            foreach (var e in new[] { exited, killed, running })
            {
                await shipper.WriteAsync(e);
            }

            await shipper.WriteEndAsync(End(exited.Process, exited.Exec.Time, TimeSpan.FromMilliseconds(1_250), ExitStatus.Exited(3)));
            await shipper.WriteEndAsync(End(killed.Process, killed.Exec.Time, TimeSpan.FromMilliseconds(20), ExitStatus.Killed(9)));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await shipper.FlushAsync(timeout.Token);
            Assert.Equal(0, shipper.Status.RejectedBatches);
        }

        using var client = _server.Client();
        var one = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{exited.Process}");
        Assert.Equal("ended", one.GetProperty("state").GetString());
        Assert.Equal(3, one.GetProperty("exitCode").GetInt32());
        Assert.False(one.TryGetProperty("signal", out _));
        Assert.False(one.TryGetProperty("coreDumped", out _));
        Assert.Equal(1_250, one.GetProperty("durationMs").GetInt64());
        Assert.Equal(exited.Exec.Time.AddMilliseconds(1_250), one.GetProperty("ended").GetDateTimeOffset());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", one.GetProperty("ended").GetString());
        Assert.Equal("execSeen", one.GetProperty("provenance").GetString());

        var byPid = await client.GetFromJsonAsync<JsonElement[]>($"/api/processes?pid={killed.Exec.Pid}");
        var sigkill = Assert.Single(byPid!, p => p.GetProperty("key").GetString() == killed.Process.ToString());
        Assert.Equal("ended", sigkill.GetProperty("state").GetString());
        Assert.Equal(9, sigkill.GetProperty("signal").GetInt32());
        Assert.False(sigkill.TryGetProperty("exitCode", out _));

        var stillRunning = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{running.Process}");
        Assert.Equal("running", stillRunning.GetProperty("state").GetString());
        Assert.False(stillRunning.TryGetProperty("ended", out _));
        Assert.False(stillRunning.TryGetProperty("durationMs", out _));
    }

    [Fact]
    public async Task An_end_that_arrives_before_its_exec_lands_once_and_a_resent_batch_changes_nothing()
    {
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var exec = TestEvents.Expr(6_001);
        var end = ProcessExitMessage.From(End(exec.Process, exec.Exec.Time, TimeSpan.FromMilliseconds(400), ExitStatus.Killed(11, coreDumped: true)));
        var endFirst = CollectorConnections.Batch("ends-first", 1, [], [end]);

        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, endFirst);
        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, endFirst);
        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("ends-first", 2, [exec]));

        using var client = _server.Client();
        var process = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{exec.Process}");
        Assert.Equal("ended", process.GetProperty("state").GetString());
        Assert.Equal(11, process.GetProperty("signal").GetInt32());
        Assert.True(process.GetProperty("coreDumped").GetBoolean());
        Assert.Equal(400, process.GetProperty("durationMs").GetInt64());
    }

    [Theory]
    [InlineData(300, null, "'exitCode'")]
    [InlineData(null, null, "'exitCode'")]
    [InlineData(1, 9, "'exitCode'")]
    [InlineData(null, 0, "'signal'")]
    public async Task A_batch_with_an_impossible_end_is_refused_whole_and_says_which(int? code, int? signal, string field)
    {
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var exec = TestEvents.Expr(7_001);
        var bad = new ProcessExitMessage
        {
            Time = new IsoTime(1_700_000_000_000_000),
            Started = new IsoTime(1_700_000_000_000_000),
            Pid = exec.Process.Pid,
            Process = exec.Process.ToString(),
            ExitCode = code,
            Signal = signal,
        };
        var batch = CollectorConnections.Batch("bad-ends", 1, [exec], [bad]);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch));

        Assert.Contains(CollectorHubContract.RejectionPrefix, ex.Message, StringComparison.Ordinal);
        Assert.Contains("exit 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        using var client = _server.Client();
        var found = await client.GetFromJsonAsync<JsonElement[]>($"/api/processes?pid={exec.Exec.Pid}");
        Assert.DoesNotContain(found!, p => p.GetProperty("key").GetString() == exec.Process.ToString());
    }

    [Fact]
    public async Task A_batch_from_a_collector_older_than_the_exit_contract_is_accepted_with_its_ends()
    {
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var exited = TestEvents.Expr(8_001);
        var killed = TestEvents.Expr(8_002);
        var events = CollectorConnections.Batch("old-collector", 1, [exited, killed]);
        var micros = (exited.Exec.Time - DateTimeOffset.UnixEpoch).Ticks / TimeSpan.TicksPerMicrosecond;
        var old = new OldCollectorBatch
        {
            CollectorId = events.CollectorId,
            Host = events.Host,
            BatchSeq = 1,
            Events = events.Events,
            Exits =
            [
                new OldProcessExitMessage { TimeUnixMicros = micros + 700_000, StartedUnixMicros = micros, Pid = exited.Exec.Pid, Process = exited.Process.ToString(), ExitCode = 4, Signal = null, CoreDumped = false },
                new OldProcessExitMessage { TimeUnixMicros = micros + 30_000, StartedUnixMicros = micros, Pid = killed.Exec.Pid, Process = killed.Process.ToString(), ExitCode = null, Signal = 15, CoreDumped = false },
            ],
            Status = events.Status,
        };

        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, old);

        using var client = _server.Client();
        var one = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{exited.Process}");
        Assert.Equal(4, one.GetProperty("exitCode").GetInt32());
        Assert.Equal(700, one.GetProperty("durationMs").GetInt64());
        var other = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{killed.Process}");
        Assert.Equal(15, other.GetProperty("signal").GetInt32());
        Assert.Equal(30, other.GetProperty("durationMs").GetInt64());
    }

    [Fact]
    public void The_hub_form_of_an_end_keeps_exactly_the_member_names_older_collectors_and_spools_use()
    {
        var end = ProcessExitMessage.From(End(TestEvents.Expr(8_003).Process, DateTimeOffset.UnixEpoch.AddDays(20_000), TimeSpan.FromSeconds(1), ExitStatus.Exited(0)));
        var options = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

        var keys = MessagePackSerializer.Deserialize<Dictionary<string, object?>>(MessagePackSerializer.Serialize(end, options), options).Keys;

        Assert.Equal(
            ["CoreDumped", "ExitCode", "Pid", "Process", "Signal", "StartedUnixMicros", "TimeUnixMicros"],
            keys.Order(StringComparer.Ordinal));
    }

    private static ProcessEnd End(ProcessKey key, DateTimeOffset started, TimeSpan ran, ExitStatus status) =>
        new() { Process = key, Started = started, Time = started + ran, Status = status };
}

/// <summary>A batch as collectors shipped it before ends joined the JSON contract (same member names, the hub's keys).</summary>
public sealed class OldCollectorBatch
{
    public required string CollectorId { get; init; }

    public required string Host { get; init; }

    public required long BatchSeq { get; init; }

    public required IReadOnlyList<ExecEventMessage> Events { get; init; }

    public required IReadOnlyList<OldProcessExitMessage> Exits { get; init; }

    public required CollectorStatus Status { get; init; }
}

/// <summary>The end as those collectors' <c>ProcessExitMessage</c> declared it, nulls included.</summary>
public sealed class OldProcessExitMessage
{
    public required long TimeUnixMicros { get; init; }

    public required long StartedUnixMicros { get; init; }

    public required int Pid { get; init; }

    public required string Process { get; init; }

    public int? ExitCode { get; init; }

    public int? Signal { get; init; }

    public bool CoreDumped { get; init; }
}
