using System.Buffers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Benchmarks.Wire;

/// <summary>
/// What the collector's shipper spends encoding execs in format 2: batches of
/// <see cref="BatchExecs"/> execs of the sendmail story, each added to a
/// <see cref="CompactExecsWriter"/>, its head written, the writer cleared. The execs are made as a
/// log replay makes them (raw audit log → audit pipeline → replay lineage), so they share string
/// and ancestor instances the way the collector's do. Results are per exec.
/// On a shared machine compare builds by their Min, run alternately: the mean moves with other load.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
[MedianColumn]
[ShortRunJob(RuntimeMoniker.Net10_0)]
public class CompactExecsWriterBenchmark
{
    /// <summary>The shipper's default batch (ShippingOptions.MaxBatchEvents).</summary>
    private const int BatchExecs = 2_048;

    private const int Batches = 16;

    /// <summary>Where the slice starts: past the early short runs, among runs of about 1,500 children, as most of the story is.</summary>
    private const int SkippedExecs = 150_000;

    private const int StoryRuns = 244;

    private readonly CompactExecsWriter _writer = new();
    private readonly ArrayBufferWriter<byte> _head = new(64 * 1024);
    private ExecEvent[] _execs = [];

    [GlobalSetup]
    public void Setup()
    {
        var wanted = Batches * BatchExecs;
        var execs = new List<ExecEvent>(wanted);
        var lineage = new ReplayLineage("audit.log", ReplayLineage.DefaultMaxProcesses);
        long seen = 0;
        SendmailLog.Parse(SendmailLog.InMemory(StoryRuns), "collector", exec =>
        {
            var e = lineage.Attach(exec);
            if (seen++ >= SkippedExecs && execs.Count < wanted)
            {
                execs.Add(e);
            }
        }, enough: () => execs.Count >= wanted);

        _execs = [.. execs];
        if (_execs.Length != wanted)
        {
            throw new InvalidOperationException($"The story gave {_execs.Length} execs past the first {SkippedExecs}, not {wanted}.");
        }
    }

    [Benchmark(OperationsPerInvoke = Batches * BatchExecs)]
    public long Encode_batches()
    {
        long bytes = 0;
        for (var batch = 0; batch < Batches; batch++)
        {
            var from = batch * BatchExecs;
            for (var i = from; i < from + BatchExecs; i++)
            {
                _writer.Add(_execs[i]);
            }

            _head.ResetWrittenCount();
            _writer.WriteHead(_head);
            bytes += _head.WrittenCount + _writer.Execs.Length;
            _writer.Clear();
        }

        return bytes;
    }
}
