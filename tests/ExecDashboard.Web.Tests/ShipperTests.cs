using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed class ShipperTests
{
    [Fact]
    public async Task A_batch_the_dashboard_refuses_is_dropped_and_counted_and_later_batches_still_arrive()
    {
        // The server takes at most 100 events a batch; the shipper first cuts one batch of 500
        // (a long batch delay makes the size, not the clock, cut it).
        await using var server = await DashboardServer.StartAsync("--Dashboard:MaxEventsPerBatch=100");
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        using var client = server.Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        await using (var big = CollectorConnections.Shipper(server, spool, maxBatchEvents: 500, maxBatchDelay: TimeSpan.FromSeconds(30)))
        {
            for (ulong serial = 1; serial <= 500; serial++)
            {
                await big.WriteAsync(TestEvents.Expr(serial));
            }

            await big.FlushAsync(timeout.Token);
            Assert.Equal(1, big.Status.RejectedBatches);
            Assert.Contains("more than the limit of 100", big.Status.LastError, StringComparison.Ordinal);
        }

        await using (var small = CollectorConnections.Shipper(server, spool, maxBatchEvents: 100))
        {
            for (ulong serial = 501; serial <= 600; serial++)
            {
                await small.WriteAsync(TestEvents.Expr(serial));
            }

            await small.FlushAsync(timeout.Token);
            Assert.Equal(0, small.Status.RejectedBatches);
            Assert.Equal(0, small.Status.PendingBatches);
        }

        var serials = await DashboardApi.AllSerialsAsync(client);
        Assert.Equal(Enumerable.Range(501, 100).Select(i => (ulong)i), serials.Order());
    }
}
