using System.Diagnostics;
using System.Globalization;
using ExecDashboard.Benchmarks.Store;
using ExecDashboard.TestSupport.Postgres;
using static ExecDashboard.Benchmarks.Support.BenchArguments;

namespace ExecDashboard.Benchmarks.Fleet;

/// <summary>
/// The fleet load generator: hundreds of simulated collectors (real hub clients, MessagePack,
/// collector token) ship sendmail-like traffic to two dashboard replicas sharing a throwaway
/// PostgreSQL cluster, half to each; then the same load goes to one dashboard on SQLite, the
/// baseline. Prints sustained events/s, ack latency p50/p99 and fan-out latency (commit on one
/// replica → in the other's live views) p50/p99, each PostgreSQL figure also as a ratio to SQLite.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class FleetBenchmark
{
    private sealed record Result(double EventsPerSecond, Latencies Acks, Latencies FanOut, int Missed);

    public static async Task<int> RunAsync(string[] args)
    {
        var collectors = Number(args, "--collectors", 200);
        var seconds = Number(args, "--seconds", 30);
        var rate = Number(args, "--rate", 20);
        var batchMs = Number(args, "--batch-ms", 250);
        var perBatch = Math.Max(1, rate * batchMs / 1000);
        var root = StoreBenchmark.RepositoryRoot();
        var work = Directory.CreateTempSubdirectory("execdash-bench-fleet-").FullName;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Fleet: {collectors} collectors × {rate} execs/s (sendmail story, a batch of {perBatch} every {batchMs} ms) = {collectors * rate:N0} execs/s offered, {seconds} s per store; {Environment.ProcessorCount} CPUs shared by everything."));
        try
        {
            Result shared;
            using (var cluster = new PostgresCluster())
            {
                var database = cluster.CreateDatabase();
                await using var a = await BenchDashboard.StartAsync(root, Path.Combine(work, "replica-a"), Postgres(database, "replica-a"));
                await using var b = await BenchDashboard.StartAsync(root, Path.Combine(work, "replica-b"), Postgres(database, "replica-b"));
                shared = await LoadAsync([a, b], observer: a, probeTo: b, collectors, seconds, perBatch, batchMs);
            }

            Print("PostgreSQL, 2 replicas", shared, null);
            Result single;
            await using (var d = await BenchDashboard.StartAsync(root, Path.Combine(work, "sqlite")))
            {
                single = await LoadAsync([d], observer: d, probeTo: d, collectors, seconds, perBatch, batchMs);
            }

            Print("SQLite, 1 dashboard", single, null);
            Console.WriteLine();
            Console.WriteLine("PostgreSQL (2 replicas) as a ratio to SQLite (1 dashboard):");
            Print("ratio", shared, single);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<Result> LoadAsync(BenchDashboard[] servers, BenchDashboard observer, BenchDashboard probeTo, int count, int seconds, int perBatch, int batchMs)
    {
        var collectors = Enumerable.Range(0, count)
            .Select(i => new SimulatedCollector(servers[i % servers.Length].BaseAddress, BenchDashboard.CollectorToken,
                new SendmailTraffic(string.Create(CultureInfo.InvariantCulture, $"host-{i:D4}"), i + 1), string.Create(CultureInfo.InvariantCulture, $"bench-collector-{i:D4}")))
            .ToList();
        var prober = new SimulatedCollector(probeTo.BaseAddress, BenchDashboard.CollectorToken, new SendmailTraffic("fanout-probe", 0x7fff_fff0), "bench-fanout-probe");
        using var observe = observer.Client();
        try
        {
            using (var connecting = new CancellationTokenSource(TimeSpan.FromMinutes(2)))
            {
                await Parallel.ForEachAsync(collectors.Append(prober), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = connecting.Token }, async (c, ct) => await c.ConnectAsync(ct));
            }

            var acks = new Latencies();
            var fanOut = new Latencies();
            var probe = new FanOutProbe(prober, observe);
            using var run = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
            var clock = Stopwatch.StartNew();
            var tasks = collectors.Select(c => c.RunAsync(perBatch, TimeSpan.FromMilliseconds(batchMs), acks, run.Token))
                .Append(probe.RunAsync(TimeSpan.FromMilliseconds(200), fanOut, run.Token))
                .ToArray();
            try
            {
                await Task.WhenAll(tasks);
            }
            catch (OperationCanceledException)
            {
                // The run's end: batches in flight are cut off, not counted.
            }

            var elapsed = clock.Elapsed.TotalSeconds;
            return new Result(collectors.Sum(c => c.Acknowledged) / elapsed, acks, fanOut, probe.Missed);
        }
        finally
        {
            foreach (var c in collectors.Append(prober))
            {
                await c.DisposeAsync();
            }
        }
    }

    private static void Print(string name, Result r, Result? baseline)
    {
        if (baseline is null)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-24} {r.EventsPerSecond,10:N0} events/s sustained; ack {r.Acks.Describe()}; fan-out {r.FanOut.Describe()}{(r.Missed > 0 ? $", {r.Missed} probes never seen" : string.Empty)}"));
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  events/s {r.EventsPerSecond / baseline.EventsPerSecond:F2}x; ack p50 {r.Acks.Percentile(50) / baseline.Acks.Percentile(50):F2}x, p99 {r.Acks.Percentile(99) / baseline.Acks.Percentile(99):F2}x; fan-out: none with one dashboard (its own views are fed before the ack)"));
    }

    private static string[] Postgres(string database, string replica) =>
        ["--Dashboard:Store=postgres", $"--Dashboard:ConnectionString={database}", $"--Dashboard:ReplicaName={replica}"];

    private static int Number(string[] args, string name, int fallback) =>
        Option(args, name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
