using System.Globalization;
using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;
using static ExecDashboard.Benchmarks.Support.BenchArguments;

namespace ExecDashboard.Benchmarks.Import;

/// <summary>
/// The parse side of a raw audit-log import alone, without SQLite: lines of the sendmail story held
/// in memory → audit pipeline → replay lineage → <see cref="ExecValidator"/>, on one thread as the
/// dashboard's reader thread runs them (the collector's replay runs the same code). Prints that
/// thread's CPU-seconds, bytes allocated per exec and garbage collections, per round: CPU time of
/// one thread moves less with other load on the machine than wall-clock time does, so compare two
/// builds by running them alternately. Match the dashboard's JIT settings when comparing:
/// <c>DOTNET_TieredCompilation=0 DOTNET_TieredPGO=0</c>.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class RawLogParseBenchmark
{
    public static int Run(string[] args)
    {
        var runs = Option(args, "--runs") is { } r ? int.Parse(r, CultureInfo.InvariantCulture) : 244;
        var rounds = Option(args, "--rounds") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 5;
        var log = SendmailLog.InMemory(runs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Sendmail story: {runs} runs, raw audit log {log.Length / 1e6:F0} MB in memory."));
        for (var round = 0; round < rounds; round++)
        {
            var gen0 = GC.CollectionCount(0);
            var gen1 = GC.CollectionCount(1);
            var gen2 = GC.CollectionCount(2);
            var cpu = ThreadCpu.Nanoseconds() / 1e9;
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var execs = ParseAll(log);
            cpu = ThreadCpu.Nanoseconds() / 1e9 - cpu;
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {execs:N0} execs, {cpu:F2} CPU-s on the parse thread ({cpu * 1e6 / execs:F2} µs/exec), {allocated / (double)execs:F0} B/exec, GCs gen0 {GC.CollectionCount(0) - gen0} gen1 {GC.CollectionCount(1) - gen1} gen2 {GC.CollectionCount(2) - gen2}"));

            // Each round starts from the same heap, as each import does.
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        }

        return 0;
    }

    /// <summary>What the raw-log importer does per line, minus the session items around each exec.</summary>
    private static long ParseAll(byte[] log)
    {
        var lineage = new ReplayLineage("audit-log", ReplayLineage.DefaultMaxProcesses);
        long execs = 0;
        SendmailLog.Parse(log, Environment.MachineName, exec =>
        {
            ExecValidator.Validate(lineage.Attach(exec));
            execs++;
        });
        return execs;
    }
}
