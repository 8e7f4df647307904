using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Tests.Support;
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
        Assert.Equal(JsonValueKind.Null, one.GetProperty("exitSignal").ValueKind);
        Assert.Equal(1_250, one.GetProperty("durationMs").GetInt64());
        Assert.Equal(exited.Exec.Time.AddMilliseconds(1_250), one.GetProperty("ended").GetDateTimeOffset());

        var byPid = await client.GetFromJsonAsync<JsonElement[]>($"/api/processes?pid={killed.Exec.Pid}");
        var sigkill = Assert.Single(byPid!, p => p.GetProperty("key").GetString() == killed.Process.ToString());
        Assert.Equal("ended", sigkill.GetProperty("state").GetString());
        Assert.Equal(9, sigkill.GetProperty("exitSignal").GetInt32());
        Assert.Equal(JsonValueKind.Null, sigkill.GetProperty("exitCode").ValueKind);

        var stillRunning = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{running.Process}");
        Assert.Equal("running", stillRunning.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, stillRunning.GetProperty("ended").ValueKind);
    }

    [Fact]
    public async Task An_end_that_arrives_before_its_exec_lands_once_and_a_resent_batch_changes_nothing()
    {
        await using var connection = await CollectorConnections.ConnectAsync(_server);
        var exec = TestEvents.Expr(6_001);
        var end = ProcessExitMessage.From(End(exec.Process, exec.Exec.Time, TimeSpan.FromMilliseconds(400), ExitStatus.Killed(11, coreDumped: true)));
        var endFirst = WithExits(CollectorConnections.Batch("ends-first", 1, []), end);

        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, endFirst);
        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, endFirst);
        await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("ends-first", 2, [exec]));

        using var client = _server.Client();
        var process = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{exec.Process}");
        Assert.Equal("ended", process.GetProperty("state").GetString());
        Assert.Equal(11, process.GetProperty("exitSignal").GetInt32());
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
            TimeUnixMicros = 1_700_000_000_000_000,
            StartedUnixMicros = 1_700_000_000_000_000,
            Pid = exec.Process.Pid,
            Process = exec.Process.ToString(),
            ExitCode = code,
            Signal = signal,
        };
        var batch = WithExits(CollectorConnections.Batch("bad-ends", 1, [exec]), bad);

        var ex = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, batch));

        Assert.Contains(CollectorHubContract.RejectionPrefix, ex.Message, StringComparison.Ordinal);
        Assert.Contains("exit 0", ex.Message, StringComparison.Ordinal);
        Assert.Contains(field, ex.Message, StringComparison.Ordinal);
        using var client = _server.Client();
        var found = await client.GetFromJsonAsync<JsonElement[]>($"/api/processes?pid={exec.Exec.Pid}");
        Assert.DoesNotContain(found!, p => p.GetProperty("key").GetString() == exec.Process.ToString());
    }

    private static CollectorBatch WithExits(CollectorBatch batch, params ProcessExitMessage[] exits) => new()
    {
        CollectorId = batch.CollectorId,
        Host = batch.Host,
        BatchSeq = batch.BatchSeq,
        Events = batch.Events,
        Exits = exits,
        Status = batch.Status,
    };

    private static ProcessEnd End(ProcessKey key, DateTimeOffset started, TimeSpan ran, ExitStatus status) =>
        new() { Process = key, Started = started, Time = started + ran, Status = status };
}
