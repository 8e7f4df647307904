using System.Diagnostics;
using ExecDashboard.Contracts;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport.Postgres;
using Xunit.Abstractions;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// Issue 11, replicas: a collector given two dashboard replicas (<c>--server A,B</c>) keeps going
/// when the one it ships to is SIGKILLed mid-stream, and loses nothing.
/// </summary>
/// <remarks>
/// What is guaranteed, precisely. The collector drops a batch from its spool only when a replica
/// acknowledged it, and a replica acknowledges only after its commit; after a switch it sends again
/// everything unacknowledged, in order. So:
/// <list type="bullet">
/// <item>Nothing is lost: every event is stored by a replica that acknowledged it.</item>
/// <item>With one store shared by the replicas (the fleet's PostgreSQL), whose identity makes a
/// re-sent event a no-op, every event is stored exactly once.</item>
/// <item>With a store per replica (each its own SQLite file, as here by default) delivery is at
/// least once across replicas: A holds a prefix of the input, B the rest from the first batch A did
/// not acknowledge; they overlap only in the batches A committed but whose acknowledgement died
/// with it, at most the shipper's send window of 4 batches of 2,048 events (the replica runs the
/// window's calls side by side, so all four can be committed when it dies).</item>
/// </list>
/// The shared-store case runs on a throwaway PostgreSQL cluster the test starts and stops itself.
/// </remarks>
public sealed class ReplicaFailoverTests(ITestOutputHelper output)
{
    // Enough that the replay cannot finish between replica A's count passing KillAfter and the
    // kill: with 40,000 a faster collector once had every event acknowledged by A in that window,
    // and never switched.
    private const int Execs = 150_000;

    /// <summary>A replica is killed once it has stored this many: mid-stream, well before the end.</summary>
    private const int KillAfter = 3_000;

    /// <summary>DashboardShipper's send window × its batch size: what a replica may commit without acknowledging.</summary>
    private const int MaxUnacknowledgedEvents = CollectorHubContract.BatchesInFlight * CollectorHubContract.DefaultMaxEventsPerBatch;

    [Fact]
    public Task A_collector_given_two_replicas_finishes_on_the_second_when_the_first_is_killed_and_loses_nothing() => FailOverAsync(settings: null);

    [Fact]
    public async Task Replicas_sharing_one_postgres_store_keep_each_event_exactly_once_when_the_first_is_killed()
    {
        using var cluster = new PostgresCluster();
        await FailOverAsync(["--Dashboard:Store=postgres", $"--Dashboard:ConnectionString={cluster.CreateDatabase()}"]);
    }

    /// <param name="settings">The replicas' store settings: null for a SQLite file each, else one shared store.</param>
    private async Task FailOverAsync(IReadOnlyList<string>? settings)
    {
        var work = Directory.CreateTempSubdirectory("execdash-e2e-failover-").FullName;
        var dataA = Path.Combine(work, "replica-a");
        var mark = $"mark-{Guid.NewGuid():N}-";
        DashboardProcess? a = null;
        DashboardProcess? b = null;
        DashboardProcess? aAgain = null;
        ReplayingCollector? collector = null;
        try
        {
            var log = Path.Combine(work, "audit.log");
            await MarkedLog.WriteAsync(log, "host-a", mark, Execs);
            a = await DashboardProcess.StartAsync(dataDirectory: dataA, settings: settings);
            b = await DashboardProcess.StartAsync(settings: settings);
            collector = ReplayingCollector.Start(log, [a.BaseAddress, b.BaseAddress], Path.Combine(work, "spool"));

            using (var apiA = a.ApiClient())
            {
                var flowing = Stopwatch.StartNew();
                while (await StoredMarkers.StoredEventsAsync(apiA) < KillAfter)
                {
                    Assert.False(collector.HasExited, $"The collector ended before replica A was killed; the test proves nothing:\n{collector.Stderr}");
                    Assert.True(flowing.Elapsed < TimeSpan.FromMinutes(2), $"Replica A stored fewer than {KillAfter} events in 2 minutes; collector log:\n{collector.Stderr}");
                    await Task.Delay(20);
                }
            }

            await a.CrashAsync();
            Assert.False(collector.HasExited, $"The collector ended before replica A was killed; the test proves nothing:\n{collector.Stderr}");

            // The replay ends 0 only once every event is acknowledged, here by one replica or the other.
            var exit = await collector.ExitCodeAsync();
            var stderr = collector.Stderr;
            Assert.True(exit == 0, $"The collector exited {exit}:\n{stderr}");
            Assert.Contains($"{Execs} events read, {Execs} acknowledged", stderr, StringComparison.Ordinal);
            Assert.Contains($"switching to {b.BaseAddress}", stderr, StringComparison.Ordinal);

            using var apiB = b.ApiClient();
            var onB = await StoredMarkers.ReadAsync(apiB, mark);
            var input = Enumerable.Range(1, Execs).Select(i => MarkedLog.Marker(mark, i)).ToArray();
            if (settings is not null)
            {
                // One shared idempotent store: B sees what A stored, and each event is there once.
                AssertExactlyOnce(input, onB, "the shared store");
                output.WriteLine($"Shared store: {onB.Count} events after replica A was killed mid-stream, each once.");
                return;
            }

            // A store per replica: read what A committed before it died by starting it again on its database.
            aAgain = await DashboardProcess.StartAsync(dataDirectory: dataA);
            using var apiA2 = aAgain.ApiClient();
            var onA = await StoredMarkers.ReadAsync(apiA2, mark);
            AssertNoneTwice(onA, "replica A");
            AssertNoneTwice(onB, "replica B");

            var index = input.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i + 1, StringComparer.Ordinal);
            var a1 = onA.Select(m => index[m]).Order().ToArray();
            var b1 = onB.Select(m => index[m]).Order().ToArray();
            Assert.True(a1.Length >= KillAfter, $"Replica A kept {a1.Length} events, fewer than the {KillAfter} it had stored when it was killed.");
            Assert.True(b1.Length > 0, "Replica B stored nothing; the collector never switched.");

            // A holds 1..lastA, B holds firstB..N, and together they hold every event.
            Assert.Equal(Enumerable.Range(1, a1.Length), a1);
            Assert.Equal(Enumerable.Range(b1[0], b1.Length), b1);
            Assert.Equal(Execs, b1[^1]);
            Assert.True(b1[0] <= a1[^1] + 1, $"Events {a1[^1] + 1} to {b1[0] - 1} are stored by neither replica.");

            // Doubled across replicas: only what A committed but could not acknowledge.
            var overlap = a1[^1] - b1[0] + 1;
            output.WriteLine($"Replica A kept events 1 to {a1[^1]}, replica B stored {b1[0]} to {b1[^1]}: {Math.Max(0, overlap)} stored by both.");
            Assert.True(overlap <= MaxUnacknowledgedEvents, $"{overlap} events are stored by both replicas, more than the {MaxUnacknowledgedEvents} A could have committed without acknowledging.");
        }
        finally
        {
            if (collector is not null)
            {
                await collector.DisposeAsync();
            }

            foreach (var dashboard in new[] { aAgain, b, a })
            {
                if (dashboard is not null)
                {
                    await dashboard.DisposeAsync();
                }
            }

            Directory.Delete(work, recursive: true);
        }
    }

    private static void AssertExactlyOnce(string[] input, IReadOnlyList<string> stored, string where)
    {
        AssertNoneTwice(stored, where);
        var missing = input.Except(stored, StringComparer.Ordinal).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} events are missing from {where}, for example {string.Join(", ", missing.Take(5))}.");
        Assert.Equal(input.Length, stored.Count);
    }

    private static void AssertNoneTwice(IReadOnlyList<string> stored, string where)
    {
        var doubled = stored.GroupBy(m => m, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key} x{g.Count()}").ToArray();
        Assert.True(doubled.Length == 0, $"{doubled.Length} events are stored more than once in {where}, for example {string.Join(", ", doubled.Take(5))}.");
    }
}
