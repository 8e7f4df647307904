using ExecDashboard.Contracts;
using ExecDashboard.Shipping.Spool;
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

        await ShipAllAsync(server, spool, 501, 600, timeout.Token);

        var serials = await DashboardApi.AllSerialsAsync(client);
        Assert.Equal(Enumerable.Range(501, 100).Select(i => (ulong)i), serials.Order());
    }

    [Fact]
    public async Task A_spool_an_older_collector_left_in_format_1_is_sent_and_stored_beside_new_batches_in_format_2()
    {
        await using var server = await DashboardServer.StartAsync();
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        using var client = server.Client();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        // What a collector before format 2 left behind: batches of message maps.
        using (var older = new BatchSpool(spool, 16 * 1024 * 1024))
        {
            older.Append(Enumerable.Range(1, 50).Select(i => TestEvents.Expr((ulong)i).ToMessage()).ToArray());
            older.Append(Enumerable.Range(51, 50).Select(i => TestEvents.Expr((ulong)i).ToMessage()).ToArray());
        }

        await ShipAllAsync(server, spool, 101, 200, timeout.Token);

        var serials = await DashboardApi.AllSerialsAsync(client);
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (ulong)i), serials.Order());
    }

    [Fact]
    public async Task Connects_to_the_dashboard_before_the_first_event_is_written()
    {
        await using var server = await DashboardServer.StartAsync();
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        // The collector creates its shipper first so that the connection opens while the rest starts.
        await using var shipper = CollectorConnections.Shipper(server, spool);
        while (!shipper.Status.Connected)
        {
            await Task.Delay(10, timeout.Token);
        }

        Assert.Equal(0, shipper.Status.EventsAccepted);
        Assert.Equal(0, shipper.Status.LastSpooledBatch);
    }

    [Fact]
    public async Task The_next_acknowledgement_completes_when_the_dashboard_acknowledges_a_batch()
    {
        await using var server = await DashboardServer.StartAsync();
        var spool = Directory.CreateTempSubdirectory("execdash-spool-").FullName;
        await using var shipper = CollectorConnections.Shipper(server, spool);

        var acknowledged = shipper.NextAcknowledgement;
        Assert.False(acknowledged.IsCompleted);
        await shipper.WriteAsync(TestEvents.Expr(1));

        await acknowledged.WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(1, shipper.Status.EventsAcknowledged);
        Assert.True(shipper.Status.Drained);
    }

    /// <summary>Ships the execs with serials <paramref name="first"/> to <paramref name="last"/> in batches of 100, with what the spool holds; all must be taken.</summary>
    private static async Task ShipAllAsync(DashboardServer server, string spool, ulong first, ulong last, CancellationToken cancellationToken)
    {
        await using var shipper = CollectorConnections.Shipper(server, spool, maxBatchEvents: 100);
        for (var serial = first; serial <= last; serial++)
        {
            await shipper.WriteAsync(TestEvents.Expr(serial));
        }

        await shipper.FlushAsync(cancellationToken);
        Assert.Equal(0, shipper.Status.RejectedBatches);
        Assert.Equal(0, shipper.Status.PendingBatches);
    }
}
