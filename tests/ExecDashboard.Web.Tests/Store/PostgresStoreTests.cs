using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Storage.Postgres;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>What only a server brings: dashboards starting at once, a server that is away, a role without rights.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreTests(PostgresCluster cluster)
{
    [Fact]
    public async Task Two_dashboards_starting_at_once_migrate_the_database_once()
    {
        var connectionString = cluster.CreateDatabase();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        using var ready = new Barrier(2);

        var engines = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            ready.SignalAndWait();
            return new PostgresEventStore(connectionString, poolSize: 2);
        })));

        try
        {
            // Without the lock the second would fail on tables the first created, or record a step twice.
            Assert.Equal(PostgresSchema.LatestVersion, cluster.Scalar("SELECT COUNT(*) FROM schema_migrations;", database));
            Assert.Equal(PostgresSchema.LatestVersion, cluster.Scalar("SELECT MAX(version) FROM schema_migrations;", database));
            Assert.All(engines, e => Assert.Equal(PostgresSchema.LatestVersion, e.SchemaVersion));
        }
        finally
        {
            foreach (var e in engines)
            {
                e.Dispose();
            }
        }
    }

    [Fact]
    public async Task Two_dashboards_storing_the_same_batch_at_once_store_it_once()
    {
        var connectionString = cluster.CreateDatabase();
        using var first = new PostgresEventStore(connectionString, poolSize: 2);
        using var second = new PostgresEventStore(connectionString, poolSize: 2);
        var now = DateTimeOffset.UtcNow;
        ExecEvent[] events = [.. Enumerable.Range(1, 200).Select(i => TestEvents.Expr((ulong)i, now.AddMilliseconds(i)))];
        var sessions = new[] { first, second }.Select(e => e.CreateSession("live", TestEvents.Host, "live", now)).ToArray();
        using var ready = new Barrier(2);

        var stored = await Task.WhenAll(new[] { first, second }.Select((engine, i) => Task.Run(() =>
        {
            ready.SignalAndWait();
            return engine.StoreCollectorBatch(new CollectorBatchWrite(sessions[i].Id, "collector-1", TestEvents.Host, 1, 3, 0, now, events, []));
        })));

        Assert.Equal(200, stored.Sum(s => s.Count));
        Assert.Equal(200, first.CountEvents());
        Assert.Equal(3, sessions.Sum(s => first.ReadGaps(s.Id).Sum(g => g.SerialGaps)));
        Assert.Equal(200, first.ReadDescendants(TestEvents.Sendmail.Key, 64, 1000).Count);
    }

    [Fact]
    public void An_unreachable_server_is_named_in_one_sentence()
    {
        var closed = new Npgsql.NpgsqlConnectionStringBuilder(cluster.ConnectionString()) { Port = ClosedPort(), Timeout = 5 }.ConnectionString;

        var error = Assert.Throws<StoreUnavailableException>(() => new PostgresEventStore(closed, poolSize: 2));

        Assert.StartsWith("Cannot reach the PostgreSQL server at 127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.EndsWith("start it or correct Dashboard:ConnectionString.", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(". ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_that_may_not_create_tables_is_told_so_in_one_sentence()
    {
        var connectionString = cluster.CreateDatabase();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        var role = $"reader_{database}";
        cluster.Execute($"CREATE ROLE {role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC;", database);

        var error = Assert.Throws<StoreUnavailableException>(() => new PostgresEventStore(cluster.ConnectionString(database, role), poolSize: 2));

        Assert.StartsWith($"The PostgreSQL role '{role}' lacks the rights the dashboard needs in database '{database}'", error.Message, StringComparison.Ordinal);
        Assert.EndsWith(".", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(". ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_role_that_may_not_write_the_tables_is_told_so_at_start()
    {
        var connectionString = cluster.CreateDatabase();
        var database = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        new PostgresEventStore(connectionString, poolSize: 2).Dispose();
        var role = $"viewer_{database}";
        cluster.Execute($"CREATE ROLE {role} LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role};", database);

        var error = Assert.Throws<StoreUnavailableException>(() => new PostgresEventStore(cluster.ConnectionString(database, role), poolSize: 2));

        Assert.Equal(
            $"The PostgreSQL role '{role}' may not read and write the dashboard's tables (sessions, collectors, gaps, processes, events, replicas, collector_status) in database '{database}'; grant it SELECT, INSERT, UPDATE and DELETE on them.",
            error.Message);
    }

    /// <summary>A port nothing listens on: taken from the kernel, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
