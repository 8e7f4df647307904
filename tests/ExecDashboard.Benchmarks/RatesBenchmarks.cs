using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Rates;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Benchmarks;

/// <summary>
/// <see cref="ExecRateWindow"/> against the obvious alternative measured in the same run: a
/// dictionary of per-parent timestamp lists, counted on query. 100,000 execs from 200 parents over
/// 100 seconds, one parent storming (half the execs), the rest spread evenly.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RatesBenchmarks
{
    private const int Execs = 100_000;
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    private ExecEvent[] _events = [];
    private ExecRateWindow _filledWindow = null!;
    private NaiveRates _filledNaive = null!;
    private ProgramTracker _filledPrograms = null!;

    [GlobalSetup]
    public void Setup()
    {
        var init = Ancestors.Of(new ProcessKey("bench", 1, 1), "/sbin/init", "/sbin/init");
        var parents = Enumerable.Range(0, 200)
            .Select(i => Ancestors.Of(new ProcessKey("bench", 1000 + i, 5000 + i), "/usr/bin/bash", "bash", "job.sh"))
            .ToArray();
        var expr = ExecBuilder.Of("/usr/bin/expr", "expr", "1", "+", "1").Host("bench");
        _events = new ExecEvent[Execs];
        for (var i = 0; i < Execs; i++)
        {
            var parent = i % 2 == 0 ? parents[0] : parents[1 + (i / 2 % 199)];
            _events[i] = expr.Key(new ProcessKey("bench", 20000 + i, 90000 + i)).Under(parent, init).At(Start.AddMilliseconds(i)).Serial((ulong)i).Build();
        }

        _filledWindow = RecordWindow();
        _filledNaive = RecordNaive();
        _filledPrograms = RecordPrograms();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Execs)]
    [BenchmarkCategory("Ingest")]
    public NaiveRates Ingest_naive_timestamp_lists() => RecordNaive();

    [Benchmark(OperationsPerInvoke = Execs)]
    [BenchmarkCategory("Ingest")]
    public ExecRateWindow Ingest_exec_rate_window() => RecordWindow();

    [Benchmark(OperationsPerInvoke = Execs)]
    [BenchmarkCategory("Ingest")]
    public ProgramTracker Ingest_program_tracker() => RecordPrograms();

    [Benchmark(Baseline = true)]
    [BenchmarkCategory("TopN")]
    public IReadOnlyList<(ProcessKey Parent, int Count)> Top10_over_5_min_naive() => _filledNaive.Top(Start.AddSeconds(Execs / 1000), Window, 10);

    [Benchmark]
    [BenchmarkCategory("TopN")]
    public IReadOnlyList<ParentRate> Top10_over_5_min_exec_rate_window() => _filledWindow.TopParents(Window, 10);

    /// <summary>The 200 parents are runs of one program: the growth test judges 200 runs on the query.</summary>
    [Benchmark]
    [BenchmarkCategory("TopN")]
    public IReadOnlyList<ProgramRate> Top10_programs_over_5_min_program_tracker() =>
        _filledPrograms.TopPrograms(TimeRange.Ending(Start.AddSeconds(Execs / 1000), Window), 10);

    private ProgramTracker RecordPrograms()
    {
        var tracker = new ProgramTracker(new FixedTime(Start.AddSeconds(Execs / 1000)));
        foreach (var e in _events)
        {
            tracker.Record(e);
        }

        return tracker;
    }

    private ExecRateWindow RecordWindow()
    {
        var window = new ExecRateWindow(new FixedTime(Start.AddSeconds(Execs / 1000)));
        foreach (var e in _events)
        {
            window.Record(e);
        }

        return window;
    }

    private NaiveRates RecordNaive()
    {
        var naive = new NaiveRates();
        foreach (var e in _events)
        {
            naive.Record(e);
        }

        return naive;
    }

    /// <summary>The baseline: every exec's time kept per parent, counted and sorted on each query.</summary>
    public sealed class NaiveRates
    {
        private readonly Dictionary<ProcessKey, List<DateTimeOffset>> _times = [];

        public void Record(ExecEvent e)
        {
            if (!_times.TryGetValue(e.Parent, out var list))
            {
                _times[e.Parent] = list = [];
            }

            list.Add(e.Exec.Time);
        }

        public IReadOnlyList<(ProcessKey Parent, int Count)> Top(DateTimeOffset now, TimeSpan window, int top) =>
            [.. _times
                .Select(p => (p.Key, p.Value.Count(t => t > now - window)))
                .Where(p => p.Item2 > 0)
                .OrderByDescending(p => p.Item2)
                .Take(top)];
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
