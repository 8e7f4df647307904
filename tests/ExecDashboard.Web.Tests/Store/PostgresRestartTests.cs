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

/// <summary>
/// The server goes away and comes back: the ingest worker's batch in hand waits, unacknowledged,
/// and is stored once the server is back; the API says the database is away, then answers again.
/// Nothing stops or crashes.
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
