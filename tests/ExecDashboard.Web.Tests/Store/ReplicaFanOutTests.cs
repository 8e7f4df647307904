using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Fleet;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Storage.Postgres;
using ExecDashboard.Web.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>
/// Issue 11, replicas: two dashboards on one PostgreSQL database each see, in their live views and
/// analytics, what the other stored (LISTEN/NOTIFY), once; a listener whose connection is killed
/// comes back and catches up on what was committed while it was away.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ReplicaFanOutTests(PostgresCluster cluster)
{
    [Fact]
    public async Task A_batch_stored_through_one_replica_appears_once_in_the_others_hot_window_and_analytics()
    {
        var database = cluster.CreateDatabase();
        await using var a = await Replica.StartAsync(database, "replica-a");
        await using var b = await Replica.StartAsync(database, "replica-b");
        var now = DateTimeOffset.UtcNow;

        var fromA = a.Store.AppendCollectorBatch("collector-a", "host-a", 1, 0, 0, Execs(1, 20, now));
        Assert.Equal(20, fromA.Stored);
        await WaitUntilAsync(() => b.Store.GetRecentEvents(ExecFilter.None, 1000).Count >= 20, "replica B never showed replica A's batch");

        var onB = b.Store.GetRecentEvents(ExecFilter.None, 1000);
        Assert.Equal(Enumerable.Range(1, 20).Reverse().Select(i => (ulong)i), onB.Select(e => e.Event.Exec.Serial));
        Assert.Equal(a.Store.GetRecentEvents(ExecFilter.None, 1000).Select(e => e.Id), onB.Select(e => e.Id));
        var parent = Assert.Single(b.Store.GetTopParents(TimeSpan.FromMinutes(1), 10));
        Assert.Equal((TestEvents.Sendmail.Key, 20L), (parent.Parent, parent.Count));

        // The other way, and neither replica takes its own batch a second time from its notice.
        b.Store.AppendCollectorBatch("collector-b", "host-b", 1, 0, 0, Execs(21, 10, now));
        await WaitUntilAsync(() => a.Store.GetRecentEvents(ExecFilter.None, 1000).Count >= 30, "replica A never showed replica B's batch");
        a.Store.AppendCollectorBatch("collector-a", "host-a", 2, 0, 0, Execs(31, 5, now));
        await WaitUntilAsync(() => b.Store.GetRecentEvents(ExecFilter.None, 1000).Count >= 35, "replica B never showed replica A's second batch");
        foreach (var replica in new[] { a, b })
        {
            AssertEachOnce(replica, 35);
            Assert.Equal(35L, Assert.Single(replica.Store.GetTopParents(TimeSpan.FromMinutes(1), 10)).Count);
        }
    }

    [Fact]
    public async Task A_replica_whose_listening_connection_was_killed_reconnects_and_catches_up_without_loss_or_duplicates()
    {
        var database = cluster.CreateDatabase();
        var name = new NpgsqlConnectionStringBuilder(database).Database!;

        // B logs in as a role of its own, so the test can keep B (and only B) out while A writes.
        cluster.Execute("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'replica_b') THEN CREATE ROLE replica_b LOGIN SUPERUSER; END IF; END $$;");
        var asB = new NpgsqlConnectionStringBuilder(database) { Username = "replica_b" }.ConnectionString;
        await using var a = await Replica.StartAsync(database, "replica-a");
        await using var b = await Replica.StartAsync(asB, "replica-b");
        var now = DateTimeOffset.UtcNow;
        a.Store.AppendCollectorBatch("collector-a", "host-a", 1, 0, 0, Execs(1, 100, now));
        await WaitUntilAsync(() => b.Store.GetRecentEvents(ExecFilter.None, 10_000).Count >= 100, "replica B never showed the first batch");

        cluster.Execute("ALTER ROLE replica_b NOLOGIN;");
        try
        {
            var killed = cluster.Scalar("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ExecDashboard listener replica-b';", name);
            Assert.Equal(1, killed);

            // Committed while B cannot listen: only its catch-up can bring these.
            for (var batch = 0; batch < 5; batch++)
            {
                a.Store.AppendCollectorBatch("collector-a", "host-a", 2 + batch, 0, 0, Execs(101 + (batch * 200), 200, now));
            }
        }
        finally
        {
            cluster.Execute("ALTER ROLE replica_b LOGIN;");
        }

        await WaitUntilAsync(() => b.Listener.Connections >= 2, "replica B's listener never reconnected");
        await WaitUntilAsync(() => b.Store.GetRecentEvents(ExecFilter.None, 10_000).Count >= 1100, "replica B did not catch up on what was committed while it was away");

        // And it listens again: a batch after the reconnect arrives by its notice.
        a.Store.AppendCollectorBatch("collector-a", "host-a", 7, 0, 0, Execs(1101, 50, now));
        await WaitUntilAsync(() => b.Store.GetRecentEvents(ExecFilter.None, 10_000).Count >= 1150, "replica B did not hear of the batch after its reconnect");
        AssertEachOnce(b, 1150);
        Assert.Equal(1150L, Assert.Single(b.Store.GetTopParents(TimeSpan.FromMinutes(1), 10)).Count);
    }

    [Fact]
    public async Task Each_replica_lists_the_collectors_of_the_other()
    {
        var database = cluster.CreateDatabase();
        await using var a = await Replica.StartAsync(database, "replica-a");
        await using var b = await Replica.StartAsync(database, "replica-b");
        var batch = CollectorConnections.Batch("collector-b", 1, Execs(1, 3, DateTimeOffset.UtcNow));
        var result = b.Store.AppendCollectorBatch(batch.CollectorId, "host-b", 1, 0, 0, Execs(1, 3, DateTimeOffset.UtcNow));
        b.Registry.Connected("connection-1", "token-b");
        b.Registry.Accepted("connection-1", batch, result);

        await WaitUntilAsync(() => a.Collectors.Snapshot().Count == 1, "replica A never listed replica B's collector");
        var seen = Assert.Single(a.Collectors.Snapshot());
        Assert.Equal(("collector-b", "replica-b", "token-b", true, 3L), (seen.CollectorId, seen.Replica, seen.TokenName, seen.Connected, seen.EventsStored));
    }

    private static ExecEvent[] Execs(int first, int count, DateTimeOffset now) =>
        [.. Enumerable.Range(first, count).Select(i => TestEvents.Expr((ulong)i, now.AddMilliseconds(i)))];

    private static void AssertEachOnce(Replica replica, int expected)
    {
        var held = replica.Store.GetRecentEvents(ExecFilter.None, 100_000);
        var serials = held.Select(e => e.Event.Exec.Serial).ToArray();
        Assert.Equal(serials.Length, serials.Distinct().Count());
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (ulong)i), serials.Order());
    }

    /// <summary>Waits for a condition the replicas reach by themselves; gives up (failing) after a minute.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        using var giveUp = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (!condition())
        {
            Assert.False(giveUp.IsCancellationRequested, failure);
            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>One dashboard's store side, as the app composes it: engine, store, analytics, listener, collectors.</summary>
    private sealed class Replica : IAsyncDisposable
    {
        private readonly CollectorStatusPublisher _publisher;

        private Replica(ExecStore store, PostgresChangeListener listener, CollectorRegistry registry, FleetCollectors collectors, CollectorStatusPublisher publisher)
        {
            (Store, Listener, Registry, Collectors, _publisher) = (store, listener, registry, collectors, publisher);
        }

        public ExecStore Store { get; }

        public PostgresChangeListener Listener { get; }

        public CollectorRegistry Registry { get; }

        public FleetCollectors Collectors { get; }

        public static async Task<Replica> StartAsync(string connectionString, string name)
        {
            var options = Options.Create(new DashboardOptions { HotWindowCapacity = 10_000 });
            var time = TimeProvider.System;
            var engine = new PostgresEventStore(connectionString, poolSize: 4, name);
            var store = new ExecStore(engine, options, new FleetExecAnalytics(time, options, NullLogger<LiveExecAnalytics>.Instance), time, NullLogger<ExecStore>.Instance);
            var registry = new CollectorRegistry(store, time);
            var collectors = new FleetCollectors(registry, store, time, engine);
            var listener = new PostgresChangeListener(engine, store, collectors, time, NullLogger<PostgresChangeListener>.Instance);
            var publisher = new CollectorStatusPublisher(registry, collectors, engine, store, time, NullLogger<CollectorStatusPublisher>.Instance);
            await listener.StartAsync(CancellationToken.None);
            await publisher.StartAsync(CancellationToken.None);
            await WaitUntilAsync(() => listener.Connections >= 1, $"{name} never listened");
            return new Replica(store, listener, registry, collectors, publisher);
        }

        public async ValueTask DisposeAsync()
        {
            await _publisher.StopAsync(CancellationToken.None);
            await Listener.StopAsync(CancellationToken.None);
            _publisher.Dispose();
            Listener.Dispose();
            Store.Dispose(); // and its engine
        }
    }
}
