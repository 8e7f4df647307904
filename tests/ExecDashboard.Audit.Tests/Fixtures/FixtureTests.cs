using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Tests.Assembly;

namespace ExecDashboard.Audit.Tests.Fixtures;

/// <summary>Every public fixture, with facts checked by reading the files.</summary>
public sealed class FixtureTests
{
    public static TheoryData<string> CleanFixtures() =>
    [
        "go-libaudit/lost_messages.log",
        "go-libaudit/normal.log",
        "go-libaudit/out_of_order.log",
        "go-libaudit/rollover.log",
        "laurel/fork-sleep-exec.txt",
        "laurel/proc-trace-dpkg-l.txt",
        "laurel/record-execve-long.txt",
        "laurel/record-execve.txt",
        "laurel/record-perl-reverse-shell.txt",
        "laurel/record-syscall-key.txt",
        "laurel/record-syscall-nullkey.txt",
        "laurel/shell-proc-trace-confusion.txt",
        "laurel/shell-proc-trace-reordered.txt",
        "laurel/shell-proc-trace.txt",
    ];

    [Theory]
    [MemberData(nameof(CleanFixtures))]
    public void Every_record_of_the_fixture_parses(string file)
    {
        var (pipeline, _) = AuditFixtures.Run(file);

        Assert.Equal(0, pipeline.MalformedRecords);
        Assert.True(pipeline.Records > 0);
        Assert.Equal(0, pipeline.LateRecords);
    }

    [Theory]
    [InlineData("go-libaudit/normal.log")]
    [InlineData("go-libaudit/out_of_order.log")]
    [InlineData("go-libaudit/lost_messages.log")]
    public void Plain_interleaved_and_lossy_logs_yield_the_same_two_execs(string file)
    {
        var (pipeline, execs) = AuditFixtures.Run(file);

        Assert.Equal(5, pipeline.EventsCompleted);
        Assert.Collection(
            execs,
            grep =>
            {
                Assert.Equal(59ul, grep.Serial);
                Assert.Equal(13393, grep.Pid);
                Assert.Equal(12041, grep.Ppid);
                Assert.Equal("/usr/bin/grep", grep.Exe);
                Assert.Equal(["grep", "--color=auto", "mapping"], grep.Argv);
                Assert.Equal("/home/andrew_kroh", grep.Cwd);
                Assert.Equal("testhost", grep.Host);
            },
            cat =>
            {
                Assert.Equal(60ul, cat.Serial);
                Assert.Equal(13392, cat.Pid);
                Assert.Equal(["cat", "securitybeat"], cat.Argv);
                Assert.Equal("/usr/bin/cat", cat.Exe);
            });
    }

    [Fact]
    public void Interleaved_log_assembles_each_event_whole()
    {
        var h = new AssemblerHarness();
        var parser = new AuditRecordParser();
        foreach (var raw in AuditFixtures.Records("go-libaudit/out_of_order.log"))
        {
            h.Assembler.Add(parser.Parse(raw).Record!);
        }

        h.Assembler.Flush();

        Assert.Equal([58u, 59u, 60u, 61u, 62u], h.Completed.Select(e => e.Serial).Order());
        Assert.Equal(5, h.Completed.Single(e => e.Serial == 60).Records.Count);
        Assert.Equal(4, h.Completed.Single(e => e.Serial == 61).Records.Count);
    }

    [Theory]
    [InlineData("go-libaudit/normal.log", 0)]
    [InlineData("go-libaudit/out_of_order.log", 0)]
    [InlineData("go-libaudit/lost_messages.log", 9)]
    [InlineData("go-libaudit/rollover.log", 0)]
    [InlineData("laurel/fork-sleep-exec.txt", 1)]
    [InlineData("laurel/shell-proc-trace.txt", 0)]
    [InlineData("laurel/proc-trace-dpkg-l.txt", 0)]
    public void Counts_serial_gaps_as_lost_events(string file, long gaps)
    {
        // lost_messages.log jumps 49 -> 59 (50..58 lost); fork-sleep-exec.txt skips 6104006.
        Assert.Equal(gaps, AuditFixtures.Run(file).Pipeline.SerialGaps);
    }

    [Fact]
    public void Serial_wrap_yields_the_exec_at_the_top_serial()
    {
        var (pipeline, execs) = AuditFixtures.Run("go-libaudit/rollover.log");

        Assert.Equal(5, pipeline.EventsCompleted);
        var cat = Assert.Single(execs);
        Assert.Equal(4294967295ul, cat.Serial);
        Assert.Equal(13392, cat.Pid);
        Assert.Empty(cat.Argv);
    }

    [Fact]
    public void Rhel7_sample_has_one_headerless_line_and_EXECVE_without_SYSCALL()
    {
        var (pipeline, execs) = AuditFixtures.Run("go-libaudit/audit-rhel7.log");

        // "type=UNKNOWN[1329] msg=?" has no audit(...) header; everything else parses.
        Assert.Equal(50, pipeline.Records);
        Assert.Equal(1, pipeline.MalformedRecords);
        Assert.Equal(AuditParseError.MissingHeader, pipeline.LastParseError);

        // Four EXECVE events (479, 1050925, 1068053, 1075898), one with CWD/PATH, none with SYSCALL.
        Assert.Equal(4, pipeline.ExecveWithoutSyscall);
        Assert.Empty(execs);
    }

    [Fact]
    public void Enriched_record_with_node_maps_to_its_host()
    {
        var exec = Assert.Single(AuditFixtures.Run("laurel/record-execve.txt").Execs);

        Assert.Equal("work", exec.Host);
        Assert.Equal(15558ul, exec.Serial);
        Assert.Equal(10884, exec.Pid);
        Assert.Equal(10883, exec.Ppid);
        Assert.Equal(["whoami"], exec.Argv);
        Assert.Equal("/usr/bin/whoami", exec.Exe);
        Assert.Equal("/home/user/tmp", exec.Cwd);
        Assert.Equal(0u, exec.Uid);
        Assert.Equal(1000u, exec.Auid);
    }

    [Fact]
    public void Rebuilds_the_8192_byte_argument_from_three_hex_chunks()
    {
        var exec = Assert.Single(AuditFixtures.Run("laurel/record-execve-long.txt").Execs);

        Assert.Equal(2, exec.Argv.Count);
        Assert.Equal("/bin/echo", exec.Argv[0]);
        var arg = exec.Argv[1];
        Assert.Equal(8192, arg.Length);
        Assert.Equal('b', arg[0]);
        Assert.Equal('d', arg[3732]);
        Assert.Equal('f', arg[7478]);
        Assert.Equal('g', arg[^1]);
        Assert.Equal(8186, arg.Count(c => c == 'a'));
        Assert.Equal(8832, exec.Pid);
    }

    [Fact]
    public void Decodes_the_hex_perl_one_liner()
    {
        var exec = Assert.Single(AuditFixtures.Run("laurel/record-perl-reverse-shell.txt").Execs);

        Assert.Equal(724395, exec.Pid);
        Assert.Equal("perl", exec.Argv[0]);
        Assert.Equal("-e", exec.Argv[1]);
        Assert.StartsWith("use Socket;$i=\"10.0.0.1\";$p=1234;", exec.Argv[2], StringComparison.Ordinal);
        Assert.EndsWith("exec(\"/bin/sh -i\");};", exec.Argv[2], StringComparison.Ordinal);
        Assert.Equal("/root", exec.Cwd);
    }

    [Fact]
    public void Reversed_aarch64_events_without_EOE_complete_and_keep_the_empty_argument()
    {
        var (_, execs) = AuditFixtures.Run("laurel/fork-sleep-exec.txt");

        Assert.Collection(
            execs,
            parent =>
            {
                Assert.Equal("aarch64", parent.Arch);
                Assert.Equal(1578539, parent.Pid);
                Assert.Equal(["/home/user/bin/uncaring-parent"], parent.Argv);
            },
            child =>
            {
                Assert.Equal(1578540, child.Pid);
                Assert.Equal(1, child.Ppid);
                Assert.Equal([""], child.Argv);
                Assert.Equal("/usr/bin/true", child.Exe);
            });
    }

    [Theory]
    [InlineData("laurel/shell-proc-trace.txt")]
    [InlineData("laurel/shell-proc-trace-reordered.txt")]
    public void Shell_trace_yields_four_execs_in_either_order(string file)
    {
        var execs = AuditFixtures.Run(file).Execs;

        Assert.Equal([29238ul, 29242ul, 29244ul, 29245ul], execs.Select(e => e.Serial).Order());
        Assert.Equal(["/bin/sed", "-e", "s/foo/bar/"], execs.Single(e => e.Pid == 71509).Argv);
        Assert.Equal(71506, execs.Single(e => e.Pid == 71508).Ppid);
    }

    [Fact]
    public void Dpkg_trace_without_EOE_yields_eleven_execs()
    {
        var (pipeline, execs) = AuditFixtures.Run("laurel/proc-trace-dpkg-l.txt");

        Assert.Equal(23, pipeline.EventsCompleted);
        Assert.Equal(11, execs.Count);
        Assert.Equal(["dpkg-query", "--list", "--"], execs.Single(e => e.Serial == 2322553).Argv);
        Assert.Equal(["sh", "-c", "--", "pager"], execs.Single(e => e.Serial == 2322555).Argv);
    }

    [Fact]
    public void Confusion_trace_reads_quoted_success_values()
    {
        var (pipeline, execs) = AuditFixtures.Run("laurel/shell-proc-trace-confusion.txt");

        Assert.Equal(72, pipeline.EventsCompleted);
        Assert.Equal(5, execs.Count);
        Assert.All(execs, e => Assert.True(e.Success));
        Assert.Equal(["awk", "-F)", "{print $1}"], execs.Single(e => e.Serial == 2638036).Argv);
    }

    [Fact]
    public void Rule_keys_and_null_keys_read_from_fixtures()
    {
        var parser = new AuditRecordParser();
        var keyed = AuditFixtures.Records("laurel/record-syscall-key.txt").Select(r => parser.Parse(r).Record!).ToList();
        var nullKeyed = AuditFixtures.Records("laurel/record-syscall-nullkey.txt")
            .Select(r => parser.Parse(r).Record).Where(r => r is not null).ToList();

        Assert.Equal(["filter-this"], keyed[0].GetKeys());
        Assert.Equal(["this-too"], keyed[4].GetKeys());
        Assert.Empty(nullKeyed[0]!.GetKeys());
        Assert.Equal(2365ul, Assert.Single(AuditFixtures.Run("laurel/record-syscall-key.txt").Execs).Serial);
    }

    [Fact]
    public void Proctitle_first_event_waits_for_its_EOE()
    {
        var h = new AssemblerHarness();
        var parser = new AuditRecordParser();
        foreach (var raw in AuditFixtures.Records("laurel/record-syscall-nullkey.txt"))
        {
            if (parser.Parse(raw).Record is { } record)
            {
                h.Assembler.Add(record);
            }
        }

        var last = h.Completed[^1];
        Assert.Equal(225u, last.Serial);
        Assert.Equal(EventCompletion.EndOfEvent, last.CompletedBy);
        Assert.Equal(3, last.Records.Count);
    }
}
