using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Storage.Postgres;
using ExecDashboard.Web.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

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
            return engine.StoreCollectorBatch(new CollectorBatchWrite(sessions[i].Id, "collector-1", TestEvents.Host, 1, 3, 0, now, events));
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
            $"The PostgreSQL role '{role}' may not read and write the dashboard's tables (sessions, collectors, gaps, processes, events) in database '{database}'; grant it SELECT, INSERT, UPDATE and DELETE on them.",
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

/// <summary>
/// The server goes away under the ingest worker and comes back: the batch in hand waits,
/// unacknowledged, and is stored once the server is back; the worker never stops.
/// </summary>
public sealed class PostgresRestartTests : IDisposable
{
    // A cluster of its own: this test stops its server, which tests sharing one must not see.
    private readonly PostgresCluster _cluster = new();

    [Fact]
    public async Task Ingest_waits_while_the_server_restarts_and_loses_nothing()
    {
        var options = Options.Create(new DashboardOptions());
        using var engine = new PostgresEventStore(_cluster.CreateDatabase(), poolSize: 4);
        using var store = new ExecStore(engine, options, new LiveExecAnalytics(TimeProvider.System, options, NullLogger<LiveExecAnalytics>.Instance), TimeProvider.System, NullLogger<ExecStore>.Instance);
        var queue = new IngestQueue(options);
        var log = new WarningLog<IngestWorker>();
        using var worker = new IngestWorker(queue, store, TimeProvider.System, log);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            var before = await EnqueueAsync(queue, 1, 1, 10);
            Assert.Equal(10, (await before.Committed.Task.WaitAsync(TimeSpan.FromSeconds(60))).Stored);

            _cluster.Stop();
            var during = await EnqueueAsync(queue, 2, 11, 10);
            await log.Warned.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(during.Committed.Task.IsCompleted, "A batch was acknowledged while the server was down.");
            _cluster.Start();

            var result = await during.Committed.Task.WaitAsync(TimeSpan.FromSeconds(120));
            Assert.Equal((10, 0), (result.Stored, result.Duplicates));
            Assert.Equal(20, await store.CountEventsAsync());
            Assert.Equal(
                Enumerable.Range(1, 20).Select(i => (ulong)i).Reverse(),
                (await store.QueryEventsAsync(ExecFilter.None, 100)).Select(e => e.Event.Exec.Serial));
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task The_api_answers_503_in_one_sentence_while_the_server_is_away_and_200_once_it_is_back()
    {
        await using var server = await DashboardServer.StartAsync("--Dashboard:Store=postgres", $"--Dashboard:ConnectionString={_cluster.CreateDatabase()}");
        using var client = server.Client();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/sessions")).StatusCode);

        _cluster.Stop();
        using var away = await client.GetAsync("/api/sessions");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, away.StatusCode);
        Assert.Equal("The database is unreachable for now; try again once it is back.", (await JsonBody.ReadAsync(away)).GetProperty("error").GetString());

        _cluster.Start();

        // Connections the pool held broke with the server; the first calls may still meet one.
        for (var attempt = 0; (await client.GetAsync("/api/sessions")).StatusCode != System.Net.HttpStatusCode.OK; attempt++)
        {
            Assert.True(attempt < 100, "The API did not recover after the server came back.");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _cluster.Dispose();

    private static async Task<IngestWork> EnqueueAsync(IngestQueue queue, long seq, int firstSerial, int count)
    {
        ExecEvent[] events = [.. Enumerable.Range(firstSerial, count).Select(i => TestEvents.Expr((ulong)i, DateTimeOffset.UtcNow))];
        var work = new IngestWork(CollectorConnections.Batch("collector-1", seq, events), events);
        await queue.EnqueueAsync(work, CancellationToken.None);
        return work;
    }

    /// <summary>Completes <see cref="Warned"/> at the first warning: the worker found the server away.</summary>
    private sealed class WarningLog<T> : Microsoft.Extensions.Logging.ILogger<T>
    {
        private readonly TaskCompletionSource _warned = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Warned => _warned.Task;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == Microsoft.Extensions.Logging.LogLevel.Warning)
            {
                _warned.TrySetResult();
            }
        }
    }
}
