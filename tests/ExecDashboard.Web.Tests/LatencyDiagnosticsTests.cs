using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed class LatencyDiagnosticsTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Diagnostics_report_the_hub_and_commit_stages_of_shipped_execs()
    {
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        using var client = _server.Client();
        await using (var shipper = CollectorConnections.Shipper(_server, spool, 100))
        {
            for (ulong serial = 1; serial <= 20; serial++)
            {
                await shipper.WriteAsync(TestEvents.Expr(serial, DateTimeOffset.UtcNow));
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await shipper.FlushAsync(timeout.Token);
        }

        var stages = (await client.GetFromJsonAsync<JsonElement[]>("/api/diagnostics/latency"))!.ToDictionary(s => s.GetProperty("stage").GetString()!);
        Assert.Equal(["kernel_to_hub", "commit", "notify", "render"], stages.Keys);
        Assert.Equal(20, stages["kernel_to_hub"].GetProperty("samples").GetInt32());
        Assert.True(stages["commit"].GetProperty("samples").GetInt32() >= 1);
        Assert.Equal(JsonValueKind.Number, stages["kernel_to_hub"].GetProperty("p90Ms").ValueKind);

        // Cleared, a stage reports no samples and leaves its percentiles out until the next exec.
        (await client.DeleteAsync("/api/diagnostics/latency")).EnsureSuccessStatusCode();
        var cleared = (await client.GetFromJsonAsync<JsonElement[]>("/api/diagnostics/latency"))!;
        Assert.All(cleared, s => Assert.False(s.TryGetProperty("p50Ms", out _)));
    }
}
