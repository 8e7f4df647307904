using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed class RestartTests
{
    [Fact]
    public async Task Events_sent_while_the_dashboard_is_down_arrive_exactly_once_after_it_restarts()
    {
        await using var server = await DashboardServer.StartAsync();
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        await using var shipper = CollectorConnections.Shipper(server, spool);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));

        for (ulong serial = 1; serial <= 1_000; serial++)
        {
            await shipper.WriteAsync(TestEvents.Expr(serial));
        }

        await shipper.FlushAsync(timeout.Token);

        // Killed, not stopped: only what was committed survives.
        await server.StopAsync();
        for (ulong serial = 1_001; serial <= 2_000; serial++)
        {
            await shipper.WriteAsync(TestEvents.Expr(serial));
        }

        await WaitUntilAsync(() => shipper.Status.LastSpooledBatch > shipper.Status.AcknowledgedBatch && !shipper.Status.Connected, timeout.Token);
        await server.StartAgainAsync();
        await shipper.FlushAsync(timeout.Token);

        using var client = server.Client();
        var serials = await DashboardApi.AllSerialsAsync(client);
        Assert.Equal(2_000, serials.Count);
        Assert.Equal(Enumerable.Range(1, 2_000).Select(i => (ulong)i), serials.Order());
        Assert.True(shipper.Status.Reconnects >= 1);
        Assert.Equal(0, shipper.Status.SpoolDrops);
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(20, cancellationToken);
        }
    }
}
