using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Benchmarks.Output;

/// <summary>
/// One <c>--output jsonl</c> line, as the collector's sink writes it (map to the contract, then
/// the source-generated serializer into a reused buffer), against the hand writer it replaced,
/// in the same run. Two shapes: an <c>expr</c> of the sendmail storm under a three-link chain,
/// and a compiler line of 200 arguments.
/// </summary>
[MemoryDiagnoser]
public class JsonLinesBenchmarks
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private Utf8JsonWriter _writer = null!;
    private ExecEvent _event = null!;
    private ExecEventMessage _message = null!;

    [Params(4, 200)]
    public int Arguments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Ancestor Link(int pid, string exe, params string[] argv) => Ancestors.Of(ExecBuilder.DefaultKey(pid), exe, argv);
        _event = ExecBuilder.Of("/usr/bin/expr", [.. Enumerable.Range(0, Arguments).Select(i => i == 0 ? "expr" : $"-I/usr/include/some/path/{i}")])
            .Pid(2000)
            .Under(Link(1000, "/usr/bin/bash", "bash", "/usr/sbin/sendmail", "-t"), Link(500, "/usr/bin/sudo", "sudo", "ls"), Link(1, "/sbin/init", "/sbin/init"))
            .Host("bench")
            .Cwd("/var/spool/mqueue")
            .Build();
        _message = _event.ToMessage();
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    [GlobalCleanup]
    public void Cleanup() => _writer.Dispose();

    [Benchmark(Baseline = true, Description = "hand writer (before)")]
    public int HandWriter()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        HandWrittenExecJson.Write(_writer, _event);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "contract + generated context")]
    public int Contract()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, _event.ToMessage(), ContractJsonContext.Default.ExecEventMessage);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "generated context only (mapped beforehand)")]
    public int ContextOnly()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, _message, ContractJsonContext.Default.ExecEventMessage);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "mapping only (ToMessage)")]
    public ExecEventMessage MappingOnly() => _event.ToMessage();
}
