using System.Globalization;
using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using static ExecDashboard.Benchmarks.Support.BenchArguments;

namespace ExecDashboard.Benchmarks.Lineage;

/// <summary>
/// A log replay's lineage alone: the log's execs are parsed and assembled once, held in memory, and
/// then given to a fresh <see cref="ReplayLineage"/> (at its default bound, named after the log as
/// the collector names it) round after round. Prints, per round, the thread's CPU time per exec
/// (<c>CLOCK_THREAD_CPUTIME_ID</c>: moves less with other load than wall-clock time) and, once, a
/// digest of every event's process, parent, ancestry and the processes forgotten, so two builds
/// can be shown to give the same lineage. Compare two builds by running them alternately.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class ReplayLineageLogBenchmark
{
    public static int Run(string[] args)
    {
        var path = Option(args, "--log") ?? throw new ArgumentException("lineage needs --log PATH (a raw audit log).");
        var rounds = Option(args, "--rounds") is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
        var logName = Path.GetFileName(path);
        var execs = Observations(path);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{execs.Count:N0} execs from {logName}; lineage digest {Digest(logName, execs)}"));
        for (var round = 0; round < rounds; round++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var cpu = ThreadCpu.Nanoseconds();
            var depth = Replay(logName, execs);
            cpu = ThreadCpu.Nanoseconds() - cpu;
            allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {cpu / (double)execs.Count:F1} ns/exec, {allocated / (double)execs.Count:F0} B/exec (depth sum {depth})"));
        }

        return 0;
    }

    private static long Replay(string logName, List<ExecObservation> execs)
    {
        var lineage = new ReplayLineage(logName, ReplayLineage.DefaultMaxProcesses);
        long depth = 0;
        foreach (var exec in execs)
        {
            depth += lineage.Attach(exec).Ancestry.Count;
        }

        return depth;
    }

    /// <summary>
    /// Every key, parent, ancestor (key and image) and the forgotten count, folded into one number
    /// (FNV-1a, not <see cref="HashCode"/>, whose seed differs from one run to the next).
    /// </summary>
    private static string Digest(string logName, List<ExecObservation> execs)
    {
        var lineage = new ReplayLineage(logName, ReplayLineage.DefaultMaxProcesses);
        var hash = 14695981039346656037UL;
        void Add(string text)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            hash = (hash ^ '|') * 1099511628211UL;
        }

        foreach (var exec in execs)
        {
            var attached = lineage.Attach(exec);
            Add(attached.Process.ToString());
            Add(attached.Parent.ToString());
            foreach (var ancestor in attached.Ancestry)
            {
                Add(ancestor.Key.ToString());
                Add(ancestor.Exe);
                Add(string.Join(' ', ancestor.Argv));
                Add(ancestor.Provenance.ToString());
            }

            Add(";");
        }

        Add(lineage.Forgotten.ToString(CultureInfo.InvariantCulture));
        Add(lineage.TableSize.ToString(CultureInfo.InvariantCulture));
        return string.Create(CultureInfo.InvariantCulture, $"{hash:x16} (forgotten {lineage.Forgotten}, table {lineage.TableSize})");
    }

    private static List<ExecObservation> Observations(string path)
    {
        var execs = new List<ExecObservation>();
        SendmailLog.Parse(File.ReadAllBytes(path), "bench", execs.Add);
        return execs;
    }
}
