using BenchmarkDotNet.Attributes;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Benchmarks.Lineage;

/// <summary>
/// Attach throughput in an exec storm: a wrapper deep in a process tree forking <c>expr</c>
/// over and over, PIDs wrapping so keys must be told apart. Results are per exec.
/// The baseline is the least any lineage can cost: one dictionary lookup and store per exec.
/// </summary>
[MemoryDiagnoser]
public class LineageBenchmarks
{
    private const int Execs = 10_000;
    private const int ChainDepth = 20;
    private const int StormParent = 5000;

    private readonly DateTimeOffset _t0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private ProcessTable _table = null!;
    private ExecObservation[] _storm = null!;
    private Dictionary<int, ExecObservation> _baseline = null!;
    private long _nextStart;

    /// <summary>Distinct PIDs the storm cycles through: few (cache-warm) or a wrapping PID space.</summary>
    [Params(200, 20_000)]
    public int PidRange { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var clock = new BootClock("bench", _t0.AddDays(-365));
        _table = new ProcessTable(clock);

        // PID 1, then a chain of ChainDepth shells, the last being the storming wrapper.
        _table.Seed(Enumerable.Range(0, ChainDepth + 1).Select(i => new ProcessSnapshotEntry
        {
            Pid = i == 0 ? 1 : StormParent - ChainDepth + i,
            Ppid = i == 0 ? 0 : i == 1 ? 1 : StormParent - ChainDepth + i - 1,
            StartTicks = i + 1,
            Comm = "bash",
            Exe = "/usr/bin/bash",
            Argv = ["/bin/bash", "/usr/sbin/sendmail", "-t"],
        }));
        var expr = ExecBuilder.Of("/usr/bin/expr", "expr", "1553", "+", "1").Ppid(StormParent).Host("bench");
        _storm = Enumerable.Range(0, Execs).Select(i => expr.Pid(10_000 + (i % PidRange)).At(_t0.AddMilliseconds(i)).Serial((ulong)i).Observation()).ToArray();
        _baseline = new Dictionary<int, ExecObservation>(PidRange);
        _nextStart = 1_000_000;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Execs)]
    public int Dictionary_lookup_and_store()
    {
        var found = 0;
        foreach (var exec in _storm)
        {
            if (_baseline.TryGetValue(exec.Ppid, out _))
            {
                found++;
            }

            _baseline[exec.Pid] = exec;
        }

        return found;
    }

    [Benchmark(OperationsPerInvoke = Execs)]
    public int Attach_with_live_start_ticks()
    {
        var depth = 0;
        foreach (var exec in _storm)
        {
            depth += _table.Attach(exec, _nextStart++).Ancestry.Count;
        }

        return depth;
    }

    [Benchmark(OperationsPerInvoke = Execs)]
    public int Attach_with_lifecycle_events()
    {
        var depth = 0;
        foreach (var exec in _storm)
        {
            var start = _nextStart++;
            _table.Apply(ProcessLifecycleEvent.Fork(exec.Ppid, exec.Pid, exec.Time, start));
            depth += _table.Attach(exec, startTicks: null).Ancestry.Count;
            _table.Apply(ProcessLifecycleEvent.Exit(exec.Pid, exec.Time));
        }

        return depth;
    }
}
