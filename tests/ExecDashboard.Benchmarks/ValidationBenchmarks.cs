using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Benchmarks;

/// <summary>
/// The cost of <see cref="ExecValidator"/> on the ingest path, against what the store already does
/// for every event in the same run: serializing its argv and ancestry to JSON for SQLite. Two
/// shapes: a short <c>expr</c> exec under a three-link chain, and a compiler line of 200 arguments.
/// </summary>
[MemoryDiagnoser]
public class ValidationBenchmarks
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private ExecEvent _event = null!;

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
    }

    [Benchmark(Baseline = true, Description = "store's JSON of argv and ancestry")]
    public int SerializeForStore() =>
        JsonSerializer.Serialize(_event.Exec.Argv, Json).Length + JsonSerializer.Serialize(_event.Ancestry.Select(a => a.Argv).ToArray(), Json).Length;

    [Benchmark(Description = "ExecValidator.Validate")]
    public ExecEvent Validate()
    {
        ExecValidator.Validate(_event);
        return _event;
    }
}
