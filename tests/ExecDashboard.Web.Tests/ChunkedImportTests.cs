using System.Diagnostics;
using System.Net;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.TestSupport.Recordings;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Xunit.Abstractions;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// An import is written in bounded chunks: live collectors' batches interleave with it, yet no
/// reader sees it before it ends, and a failed or killed import leaves nothing behind.
/// </summary>
public sealed class ChunkedImportTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>174 runs of 10, 20, ... children: 152,772 execs, several seconds of writing.</summary>
    private const int Runs = 174;

    private const int BatchesDuringImport = 5;

    private string _log = null!;
    private SendmailRecording _recording = null!;

    public async Task InitializeAsync()
    {
        _log = Path.Combine(Directory.CreateTempSubdirectory("execdash-chunks-").FullName, "audit.log");
        await using var writer = new StreamWriter(_log);
        _recording = SendmailRecording.Write(writer, Runs, n => 10 * n, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Path.GetDirectoryName(_log)!, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Hub_batches_are_acknowledged_while_a_large_import_is_still_writing()
    {
        Assert.True(_recording.Execs >= 150_000, $"The recording has only {_recording.Execs} execs.");
        await using var server = await DashboardServer.StartAsync();
        var probe = new StoreProbe(server);
        await using var hub = await CollectorConnections.ConnectAsync(server);
        using var client = server.Client();

        // One batch first, so what is measured below is the wait, not the first call's start-up.
        long seq = 1;
        await PushAsync(hub, seq);
        var import = PostLogAsync(client);
        await probe.WaitForImportChunksAsync(import);

        // Each batch is acknowledged while the import is still unfinished: it waited for a chunk
        // at most, not for the import.
        var waits = new List<TimeSpan>();
        for (var i = 0; i < BatchesDuringImport; i++)
        {
            waits.Add(await PushAsync(hub, ++seq));
            Assert.True(probe.UnfinishedImports() == 1, $"Batch {seq} was acknowledged only after the import had finished.");
        }

        while (!import.IsCompleted)
        {
            waits.Add(await PushAsync(hub, ++seq));
        }

        using var response = await import;
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var session = await JsonBody.ReadAsync(response);
        Assert.Equal(_recording.Execs, session.GetProperty("events").GetInt64());
        Assert.Equal(_recording.Execs + (seq * 10), await DashboardApi.TotalEventsAsync(client));
        output.WriteLine($"Longest hub-batch acknowledgement wait during the import: {waits.Max().TotalMilliseconds:F0} ms over {waits.Count} batches.");
    }

    [Fact]
    public async Task An_import_failing_at_an_item_near_its_end_leaves_no_session_and_no_event()
    {
        await using var server = await DashboardServer.StartAsync();
        var probe = new StoreProbe(server);
        using var client = server.Client();
        const int Count = 20_000;
        var events = Enumerable.Range(1, Count).Select(i => TestEvents.Expr((ulong)i)).ToList();
        events[^1] = events[^1] with { Exec = events[^1].Exec with { Syscall = "fork" } };

        using var response = await client.PostAsync("/api/sessions/import", new ByteArrayContent(await SessionFiles.ExportAsync(events)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await JsonBody.ReadAsync(response)).GetProperty("error").GetString()!;
        Assert.StartsWith($"events[{Count - 1}] is refused: \'syscall\' is \'fork\'", error, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was stored.", error, StringComparison.Ordinal);
        Assert.Empty(await DashboardApi.SessionsAsync(client));
        Assert.Equal(0, probe.Sessions());
        Assert.Equal(0, probe.Events());
    }

    [Fact]
    public async Task A_dashboard_killed_mid_import_restarts_without_the_partial_session()
    {
        await using var server = await DashboardServer.StartAsync();
        var probe = new StoreProbe(server);
        using (var client = server.Client())
        {
            var import = PostLogAsync(client);
            await probe.WaitForImportChunksAsync(import);
            await server.StopAsync();
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => import);
        }

        // Killed with chunks committed: the file holds a partial import, as after a crash.
        Assert.True(probe.EventsOfUnfinishedImports() > 0);

        await server.StartAgainAsync();
        using var again = server.Client();
        Assert.Empty(await DashboardApi.SessionsAsync(again));
        Assert.Equal(0, probe.Sessions());
        Assert.Equal(0, probe.Events());
    }

    [Fact]
    public async Task An_import_whose_request_is_cancelled_mid_write_is_removed()
    {
        await using var server = await DashboardServer.StartAsync();
        var probe = new StoreProbe(server);
        using var client = server.Client();
        using var cancel = new CancellationTokenSource();

        var import = PostLogAsync(client, cancel.Token);
        await probe.WaitForImportChunksAsync(import);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => import);

        // The dashboard notices the aborted request at its next item and removes what it wrote.
        for (var i = 0; i < 600 && probe.Sessions() > 0; i++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, probe.Sessions());
        Assert.Equal(0, probe.Events());
        Assert.Empty(await DashboardApi.SessionsAsync(client));
    }

    private async Task<HttpResponseMessage> PostLogAsync(HttpClient client, CancellationToken cancellationToken = default)
    {
        await using var body = File.OpenRead(_log);
        return await client.PostAsync("/api/sessions/import?name=large", new StreamContent(body), cancellationToken);
    }

    /// <summary>Pushes a batch of ten execs and returns how long its acknowledgement took.</summary>
    private static async Task<TimeSpan> PushAsync(HubConnection hub, long seq)
    {
        var events = Enumerable.Range(0, 10).Select(i => TestEvents.Expr((ulong)((seq * 10) + i)));
        var watch = Stopwatch.StartNew();
        await hub.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("chunks", seq, events));
        return watch.Elapsed;
    }
}
