using System.Globalization;
using System.Text;
using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Collector.Output;
using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Collector.Tests.Output;
using ExecDashboard.Collector.Wiring;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Files;
using ExecDashboard.TestSupport.Recordings;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Collector.Tests.Pipeline;

/// <summary>
/// A log read in blocks (the lines of one read each) reaches the pipeline as the same execs as the
/// log pushed line by line: block ends fall inside events, and a line longer than a read spans several.
/// </summary>
public sealed class LogReplayHandOffTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-replay-handoff-").FullName;

    [Fact]
    public async Task Execs_read_through_blocks_are_those_of_the_log_read_line_by_line()
    {
        var path = Path.Combine(_directory, "audit.log");
        var log = WriteLog();
        await System.IO.File.WriteAllTextAsync(path, log);
        var (expected, malformed) = ReadLineByLine(log);

        var source = new AuditLogFileSource(path, follow: false, TimeProvider.System);
        var time = new FakeTimeProvider(Start);
        var lineage = new CapturingLineage();
        var pipeline = new ExecPipeline(new AuditStage("unused", time), lineage, new DiscardingSink(), time, TimeSpan.FromHours(1));
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });

        var done = pipeline.StartAsync(queue.Reader);
        await source.RunAsync(queue.Writer, CancellationToken.None);
        await done.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2500, expected.Count);
        Assert.Contains(expected, e => e.Contains(new string('x', 60_000), StringComparison.Ordinal));
        Assert.Equal(3, malformed); // longer than AuditRecordParser.MaxRecordLength: both PROCTITLEs (hex) and the longer EXECVE
        Assert.Equal(expected, lineage.Execs);
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        Assert.Equal(lines, source.Counters.Records);
        Assert.Equal(lines, pipeline.Counters.Records);
        Assert.Equal(malformed, pipeline.Counters.MalformedRecords);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>
    /// 2,500 execs (five records each, about 1.3 MB). One has an argument nearly a read long, so its
    /// lines span reads; one has lines longer than a read, which the parser refuses either way.
    /// </summary>
    private static string WriteLog()
    {
        using var log = new StringWriter();
        var writer = new RawAuditLogWriter(log, "mailhost");
        for (var i = 0; i < 2500; i++)
        {
            var argument = i switch
            {
                1250 => new string('x', 60_000),
                1800 => new string('y', 150_000),
                _ => new string((char)('a' + (i % 26)), i % 90),
            };
            writer.Write(new RecordedExec { Time = Start.AddMilliseconds(i), Pid = 10_000 + i, Ppid = 4000, Exe = "/usr/bin/expr", Argv = ["expr", argument, "+", "1"] });
        }

        return log.ToString();
    }

    private static (List<string> Execs, long Malformed) ReadLineByLine(string log)
    {
        var execs = new List<string>();
        var stage = new AuditStage("unused", new FakeTimeProvider(Start));
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            stage.Push(new RawAuditRecord(0, Encoding.UTF8.GetBytes(line)), o => execs.Add(Describe(o)));
        }

        stage.Flush(o => execs.Add(Describe(o)));
        return (execs, stage.MalformedRecords);
    }

    private static string Describe(ExecObservation exec) => string.Create(CultureInfo.InvariantCulture,
        $"{exec.Serial} {exec.Time:O} {exec.Host} {exec.Pid} {exec.Ppid} {exec.Exe} {exec.Cwd} {exec.Success} [{string.Join('|', exec.Argv)}]");

    private sealed class CapturingLineage : ILineageStage
    {
        public List<string> Execs { get; } = [];

        public ExecEvent Attach(ExecObservation observation)
        {
            Execs.Add(Describe(observation));
            return SampleEvents.Expr.Build() with { Exec = observation };
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class DiscardingSink : IExecEventWriter
    {
        public void Write(ExecEvent execEvent)
        {
        }

        public void WriteEnd(ProcessEnd end)
        {
        }

        public void Flush()
        {
        }
    }
}
