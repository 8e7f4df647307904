using System.Text;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;
using ExecDashboard.TestSupport.Recordings;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Audit.Tests.Recordings;

/// <summary>The generated recordings read back, through the real pipeline, as exactly the execs they describe.</summary>
public sealed class GeneratedRecordingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sendmail_recording_reads_back_run_by_run()
    {
        using var log = new StringWriter();
        var recording = SendmailRecording.Write(log, runs: 5, n => 10 * n, Start, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

        var execs = Read(log.ToString());

        Assert.Equal(recording.Execs, execs.Count);
        Assert.Equal(5 * 3 + 150, execs.Count);
        foreach (var (pid, children) in recording.Runs)
        {
            var run = Assert.Single(execs, e => e.Pid == pid);
            Assert.Equal(["/bin/bash", SendmailRecording.SendmailScript, "-t"], run.Argv);
            var exprs = execs.Where(e => e.Ppid == pid).ToList();
            Assert.Equal(children, exprs.Count);
            Assert.All(exprs, e => Assert.Equal("/usr/bin/expr", e.Exe));
            Assert.Equal(["expr", "1", "+", "1"], exprs[0].Argv);
        }

        Assert.All(execs, e => Assert.Equal(SendmailRecording.Node, e.Host));
        Assert.Equal(Start, execs[0].Time);
    }

    [Fact]
    public void Arguments_with_spaces_quotes_and_non_ascii_are_hex_encoded_and_read_back()
    {
        using var log = new StringWriter();
        var writer = new RawAuditLogWriter(log, "h");
        string[] argv = ["sh", "-c", "cc -c \"a b.c\"", "café", ""];
        writer.Write(new RecordedExec { Time = Start, Pid = 5, Ppid = 1, Exe = "/bin/my sh", Argv = argv, Cwd = "/tmp/with space" });
        writer.Write(new RecordedExec { Time = Start, Pid = 6, Ppid = 1, Exe = "/nonexistent", Argv = [], Exit = -2 });

        var execs = Read(log.ToString());

        Assert.Equal(argv, execs[0].Argv);
        Assert.Equal("/bin/my sh", execs[0].Exe);
        Assert.Equal("/tmp/with space", execs[0].Cwd);
        Assert.False(execs[1].Success);
        Assert.Equal(-2, execs[1].Exit);
    }

    [Fact]
    public void Build_tree_recording_has_one_shell_compiler_and_assembler_per_job()
    {
        using var log = new StringWriter();
        var recording = BuildTreeRecording.Write(log, jobs: 133, Start);

        var execs = Read(log.ToString());

        Assert.Equal(400, execs.Count);
        Assert.Equal(400, execs.Select(e => e.Pid).Distinct().Count());
        Assert.Equal(133, execs.Count(e => e.Ppid == recording.MakePid));
    }

    private static List<ExecObservation> Read(string log)
    {
        var execs = new List<ExecObservation>();
        var pipeline = new AuditExecPipeline("unused", new EventAssemblerOptions(), new FakeTimeProvider(), execs.Add);
        foreach (var line in log.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            pipeline.Push(new RawAuditRecord(0, Encoding.UTF8.GetBytes(line)));
        }

        pipeline.Flush();
        return execs;
    }
}
