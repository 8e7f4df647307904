using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Shipping;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// Issue 11, collectors of a fleet: each authenticates with its own named token from
/// <c>Dashboard:CollectorTokensFile</c>; removing its line revokes it, without a restart.
/// </summary>
public sealed class CollectorTokensFileTests : IDisposable
{
    private readonly DirectoryInfo _work = Directory.CreateTempSubdirectory("execdash-tokens-");

    private const string WebToken = "3f9c2a7e51b04d6e8a1c9f0b2d4e6a8c";
    private const string DbToken = "b7e1d3c5a9f20486e1c3a5b7d9f1e2c4";

    [Fact]
    public async Task A_collector_ships_with_its_named_token_and_is_refused_at_its_next_batch_once_its_line_is_removed()
    {
        var tokens = TokensFile($"# fleet tokens\nweb-1 {WebToken}\n\ndb-1:{DbToken}\n");
        await using var server = await DashboardServer.StartAsync($"--Dashboard:CollectorTokensFile={tokens}");
        var pid = server.Pid;
        using var client = server.Client();

        await using var web = await CollectorConnections.ConnectAsync(server, WebToken);
        await web.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("web-collector", 1, [TestEvents.Expr(1)]));
        var collectors = await client.GetFromJsonAsync<JsonElement[]>("/api/collectors");
        Assert.Equal("web-1", Assert.Single(collectors!, c => c.GetProperty("collectorId").GetString() == "web-collector").GetProperty("tokenName").GetString());

        await File.WriteAllTextAsync(tokens, $"# fleet tokens\n\ndb-1:{DbToken}\n");

        // The open connection is refused at its next batch, and nothing of that batch is stored.
        var refused = await Assert.ThrowsAsync<HubException>(() =>
            web.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("web-collector", 2, [TestEvents.Expr(2)])));
        Assert.Contains("The collector token 'web-1' was revoked", refused.Message, StringComparison.Ordinal);
        Assert.Equal([1UL], await DashboardApi.AllSerialsAsync(client));

        // A new connection with it is refused at the door; the other collector's token still works.
        var door = await Assert.ThrowsAsync<HttpRequestException>(() => CollectorConnections.ConnectAsync(server, WebToken));
        Assert.Equal(HttpStatusCode.Unauthorized, door.StatusCode);
        await using var db = await CollectorConnections.ConnectAsync(server, DbToken);
        await db.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("db-collector", 1, [TestEvents.Expr(3)]));
        Assert.Equal([1UL, 3UL], (await DashboardApi.AllSerialsAsync(client)).Order());
        Assert.Equal(pid, server.Pid);
    }

    [Fact]
    public async Task A_revoked_collector_says_its_token_was_refused_and_keeps_its_events_in_the_spool()
    {
        var tokens = TokensFile($"web-1 {WebToken}\ndb-1 {DbToken}\n");
        await using var server = await DashboardServer.StartAsync($"--Dashboard:CollectorTokensFile={tokens}");
        var spool = Path.Combine(_work.FullName, "spool");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var shipper = new DashboardShipper(new ShippingOptions
        {
            Servers = [server.BaseAddress],
            Token = WebToken,
            SpoolDirectory = spool,
            Host = TestEvents.Host,
            InitialBackoff = TimeSpan.FromMilliseconds(50),
            MaxBackoff = TimeSpan.FromMilliseconds(500),
        });
        await shipper.WriteAsync(TestEvents.Expr(1));
        await shipper.FlushAsync(timeout.Token);

        await File.WriteAllTextAsync(tokens, $"db-1 {DbToken}\n");
        await shipper.WriteAsync(TestEvents.Expr(2));
        while (shipper.Status.LastError?.Contains("refused the collector token", StringComparison.Ordinal) != true)
        {
            await Task.Delay(50, timeout.Token);
        }

        Assert.Equal(1, shipper.Status.PendingBatches);
        Assert.Equal(0, shipper.Status.RejectedBatches);
        using var client = server.Client();
        Assert.Equal([1UL], await DashboardApi.AllSerialsAsync(client));
    }

    [Fact]
    public async Task The_dashboard_refuses_to_start_with_a_weak_token_in_the_file_naming_its_line()
    {
        var tokens = TokensFile($"web-1 {WebToken}\ndb-1 hunter2\n");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.Environment["EXECDASH_TOKEN"] = DashboardServer.BrowserToken;
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = DashboardServer.CollectorToken;
        foreach (var arg in new[] { DashboardServer.WebAssemblyPath(), "--port", "0", $"--Dashboard:DataDirectory={_work.FullName}", $"--Dashboard:CollectorTokensFile={tokens}" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("line 2: the token of 'db-1' is too weak", await error, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    public void Dispose() => _work.Delete(recursive: true);

    private string TokensFile(string text)
    {
        var file = Path.Combine(_work.FullName, "collector-tokens");
        File.WriteAllText(file, text);
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }
}
