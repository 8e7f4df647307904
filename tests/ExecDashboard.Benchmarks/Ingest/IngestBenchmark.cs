using System.Globalization;
using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Storage;
using MessagePack;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static ExecDashboard.Benchmarks.Support.BenchArguments;

namespace ExecDashboard.Benchmarks.Ingest;

/// <summary>
/// The dashboard's side of a replay, on one thread and without the network: each batch of a
/// replaying collector (format 2, <see cref="EncodedBatches"/>) is decoded as the hub decodes it,
/// checked by the <see cref="BatchValidator"/> and stored as the ingest worker stores it
/// (<see cref="ExecStore"/> over SQLite in a temporary directory, with the dashboard's analytics).
/// Prints, per round (a fresh database each), the thread CPU per exec of each part: decoding,
/// validation, the engine's batch write (the row writer and SQLite), the analytics, and the rest of
/// the store (hot window, change notices). Compare two builds by running them alternately; match
/// the dashboard's JIT settings: <c>DOTNET_TieredCompilation=0 DOTNET_TieredPGO=0</c>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class IngestBenchmark
{
    private const string Host = "mailhost";

    public static int Run(string[] args)
    {
        var rounds = Option(args, "--rounds") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 3;
        var perBatch = Option(args, "--batch") is { } b ? int.Parse(b, CultureInfo.InvariantCulture) : CollectorHubContract.DefaultMaxEventsPerBatch;
        var maxExecs = Option(args, "--execs") is { } e ? long.Parse(e, CultureInfo.InvariantCulture) : long.MaxValue;
        var path = Option(args, "--log");
        var log = path is null ? SendmailLog.InMemory(244) : File.ReadAllBytes(path);
        var batches = EncodedBatches.FromLog(log, path is null ? "audit.log" : Path.GetFileName(path), Host, perBatch, maxExecs);
        log = [];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{batches.Count} batches of up to {perBatch} execs, {batches.Sum(x => (long)x.Length) / 1e6:F0} MB encoded."));
        for (var round = 0; round < rounds; round++)
        {
            var work = Directory.CreateTempSubdirectory("execdash-bench-ingest-");
            try
            {
                Round(round, work.FullName, batches);
            }
            finally
            {
                work.Delete(recursive: true);
            }

            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        return 0;
    }

    private static void Round(int round, string data, List<byte[]> batches)
    {
        var options = Options.Create(new DashboardOptions { DataDirectory = data });
        var (engine, timedEngine) = TimedEngine.Wrap(StoreEngines.Open(options.Value, DashboardPaths.Resolve(options.Value), TimeProvider.System));

        // Storms are logged at Warning, so the analytics check for them as the dashboard's do.
        var analytics = new TimedAnalytics(new FleetExecAnalytics(TimeProvider.System, options, new WarningsOnly<LiveExecAnalytics>()));
        using var store = new ExecStore(engine, options, analytics, TimeProvider.System, NullLogger<ExecStore>.Instance);
        var validator = new BatchValidator(options);
        var serializer = MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData);
        long decode = 0, validate = 0, append = 0, execs = 0, stored = 0;
        var gen0 = GC.CollectionCount(0);
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < batches.Count; i++)
        {
            var t0 = ThreadCpu.Nanoseconds();
            var reader = new MessagePackReader(batches[i]);
            var decoded = CompactExecsReader.Read(ref reader, serializer);
            var batch = new CollectorBatch
            {
                CollectorId = "bench-collector",
                Host = Host,
                BatchSeq = i + 1,
                Events = decoded,
                Status = new CollectorStatus { KernelLost = 0, EventsPerSec = decoded.Count },
            };
            var t1 = ThreadCpu.Nanoseconds();
            var (events, exits) = validator.ValidateWithExits(batch);
            var t2 = ThreadCpu.Nanoseconds();
            var result = store.AppendCollectorBatch(batch.CollectorId, batch.Host, batch.BatchSeq, batch.Status.SerialGaps, batch.Status.KernelLost ?? 0, events, exits);
            var t3 = ThreadCpu.Nanoseconds();
            decode += t1 - t0;
            validate += t2 - t1;
            append += t3 - t2;
            execs += events.Count;
            stored += result.Stored;
        }

        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
        var rest = append - timedEngine.Nanoseconds - analytics.Nanoseconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round {round}: {execs:N0} execs, {stored:N0} stored; µs/exec: decode {Per(decode)}, validate {Per(validate)}, engine {Per(timedEngine.Nanoseconds)}, analytics {Per(analytics.Nanoseconds)}, store rest {Per(rest)}, ingest {Per(validate + append)}; {allocated / (double)execs:F0} B/exec, gen0 GCs {GC.CollectionCount(0) - gen0}"));

        string Per(long nanoseconds) => (nanoseconds / 1e3 / execs).ToString("F3", CultureInfo.InvariantCulture);
    }


    /// <summary>A logger enabled from Warning up that writes nothing, as a dashboard's storm warnings cost no more than a line.</summary>
    private sealed class WarningsOnly<T> : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
        }
    }
}
