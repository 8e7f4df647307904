using System.Text;
using BenchmarkDotNet.Attributes;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Benchmarks;

/// <summary>
/// Per-record cost of the audit path. Every figure is per record (OperationsPerInvoke), so
/// records/s = 1 s / Mean and Allocated is bytes per record. The baseline is the naive way
/// (decode the line to a string, split on spaces), measured in the same run.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class AuditParserBenchmarks
{
    private const int Events = 1000;
    private const int RecordCount = Events * ExecRecordCorpus.RecordsPerEvent;

    private readonly AuditRecordParser _parser = new();
    private RawAuditRecord[] _records = [];

    [GlobalSetup]
    public void Setup() => _records = ExecRecordCorpus.Build(Events);

    [Benchmark(Baseline = true, OperationsPerInvoke = RecordCount)]
    public int Baseline_GetString_and_Split()
    {
        var fields = 0;
        foreach (var record in _records)
        {
            fields += Encoding.UTF8.GetString(record.Data.Span).Split(' ').Length;
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int Baseline_IndexOf_field_scan()
    {
        var fields = 0;
        foreach (var record in _records)
        {
            var span = record.Data.Span;
            int next;
            while ((next = span.IndexOf((byte)' ')) >= 0)
            {
                fields++;
                span = span[(next + 1)..];
            }
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public int Parser()
    {
        var fields = 0;
        foreach (var record in _records)
        {
            fields += _parser.Parse(record).Record?.RawFieldCount ?? 0;
        }

        return fields;
    }

    [Benchmark(OperationsPerInvoke = RecordCount)]
    public long Parser_assembler_and_exec_mapper()
    {
        long execs = 0;
        var pipeline = new AuditExecPipeline("bench", new EventAssemblerOptions(), TimeProvider.System, _ => execs++);
        foreach (var record in _records)
        {
            pipeline.Push(record);
        }

        pipeline.Flush();
        return execs;
    }
}
