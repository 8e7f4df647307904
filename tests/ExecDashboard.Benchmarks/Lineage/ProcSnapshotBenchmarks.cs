using BenchmarkDotNet.Attributes;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Proc;

namespace ExecDashboard.Benchmarks.Lineage;

/// <summary>
/// Start-up cost of reading this machine's <c>/proc</c>, against merely listing it, and the
/// per-exec cost of reading one live process's start ticks.
/// </summary>
[MemoryDiagnoser]
public class ProcSnapshotBenchmarks
{
    private readonly ProcSnapshotReader _reader = new();

    [Benchmark(Baseline = true)]
    public int List_proc() => Directory.EnumerateDirectories("/proc").Count();

    [Benchmark]
    public int Read_snapshot() => _reader.Read().Entries.Count;

    [Benchmark]
    public int Seed_table_from_snapshot()
    {
        var table = new ProcessTable(new BootClock("bench", DateTimeOffset.UnixEpoch));
        table.Seed(_reader.Read().Entries);
        return table.LiveCount;
    }

    [Benchmark]
    public long Read_own_start_ticks() =>
        ProcStat.TryReadStartTicks(Environment.ProcessId, out var ticks, out _) ? ticks : -1;
}
