using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Mapping;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;
using ExecDashboard.TestSupport.Recordings;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Audit.Tests.Pipeline;

/// <summary>
/// The exec pipeline reuses completed events and their records for the next ones; what it emits
/// must be exactly what a parser and assembler that allocate everything afresh emit, also when
/// several events are open at once and complete out of order.
/// </summary>
public sealed partial class RecyclingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Recycled_events_and_records_give_the_same_execs_as_fresh_ones_when_events_interleave()
    {
        using var log = new StringWriter();
        var writer = new RawAuditLogWriter(log, "h");
        for (var i = 0; i < 200; i++)
        {
            // Exes, cwds and argument counts vary, so a reused record that kept stale bytes would show.
            var exe = i % 3 == 0 ? "/usr/bin/expr" : i % 3 == 1 ? "/usr/bin/a-much-longer-program-name-than-the-others" : "/bin/true";
            string[] argv = [.. Enumerable.Range(0, 1 + (i % 5)).Select(n => string.Create(CultureInfo.InvariantCulture, $"arg{n}-{i}"))];
            writer.Write(new RecordedExec { Time = Start.AddMilliseconds(i), Pid = 1000 + i, Ppid = 1, Exe = exe, Argv = argv, Cwd = i % 2 == 0 ? "/" : "/tmp/cwd with space" });
        }

        var lines = Interleave(log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var recycled = new List<ExecObservation>();
        var pipeline = new AuditExecPipeline("unused", new EventAssemblerOptions(), new FakeTimeProvider(), recycled.Add);
        foreach (var line in lines)
        {
            pipeline.Push(new RawAuditRecord(0, Encoding.UTF8.GetBytes(line)));
        }

        pipeline.Flush();

        var fresh = new List<ExecObservation>();
        var parser = new AuditRecordParser();
        var mapper = new ExecObservationMapper("unused");
        var assembler = new EventAssembler(new EventAssemblerOptions(), new FakeTimeProvider(), ev =>
        {
            if (mapper.Map(ev) is { } exec)
            {
                fresh.Add(exec);
            }
        });
        foreach (var line in lines)
        {
            if (parser.Parse(0, Encoding.UTF8.GetBytes(line)).Record is { } record)
            {
                assembler.Add(record);
            }
        }

        assembler.Flush();

        Assert.Equal(200, fresh.Count);
        Assert.Equal(fresh.Select(Describe), recycled.Select(Describe));
    }

    /// <summary>The records of each two consecutive events alternate: A1 B1 A2 B2 …, so both are open at once.</summary>
    private static List<string> Interleave(string[] lines)
    {
        var events = lines.GroupBy(l => SerialPattern().Match(l).Groups[1].Value).Select(g => g.ToList()).ToList();
        var result = new List<string>(lines.Length);
        for (var i = 0; i < events.Count; i += 2)
        {
            var a = events[i];
            var b = i + 1 < events.Count ? events[i + 1] : [];
            for (var r = 0; r < Math.Max(a.Count, b.Count); r++)
            {
                if (r < a.Count)
                {
                    result.Add(a[r]);
                }

                if (r < b.Count)
                {
                    result.Add(b[r]);
                }
            }
        }

        return result;
    }

    private static string Describe(ExecObservation e) =>
        string.Create(CultureInfo.InvariantCulture, $"{e.Serial} {e.Time:O} {e.Pid} {e.Ppid} {e.Exe} {e.Comm} {e.Cwd} {e.Success} [{string.Join('|', e.Argv)}] {e.ArgvTruncated}");

    [GeneratedRegex(@"msg=audit\([0-9.]+:([0-9]+)\)")]
    private static partial Regex SerialPattern();
}
