using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Mapping;
using ExecDashboard.Domain.Events;
using ExecDashboard.Audit.Tests.Assembly;

namespace ExecDashboard.Audit.Tests.Mapping;

public sealed class ExecObservationMapperTests
{
    private static ExecObservation? Map(string host, params string[] lines) =>
        Map(new ExecObservationMapper(host), lines);

    private static ExecObservation? Map(ExecObservationMapper mapper, params string[] lines)
    {
        var h = new AssemblerHarness().Add(lines);
        h.Assembler.Flush();
        return mapper.Map(Assert.Single(h.Completed));
    }

    private static ExecObservation MapExec(params string[] lines) =>
        Map("local", lines) ?? throw new Xunit.Sdk.XunitException("expected an exec");

    [Fact]
    public void Maps_an_x86_64_execve_event()
    {
        var exec = MapExec(
            Records.Syscall(12828, pid: 12828, ppid: 8024, exe: "\"/usr/bin/expr\"", time: "1700000000.123"),
            Records.Of("EXECVE", 12828, "argc=4 a0=\"expr\" a1=\"1553\" a2=\"+\" a3=\"1\""),
            Records.Of("CWD", 12828, "cwd=\"/var/spool\""),
            Records.Of("PATH", 12828, "item=0 name=\"/usr/bin/expr\""));

        Assert.Equal("execve", exec.Syscall);
        Assert.Equal("x86_64", exec.Arch);
        Assert.Equal(12828, exec.Pid);
        Assert.Equal(8024, exec.Ppid);
        Assert.Equal(1001u, exec.Uid);
        Assert.Equal(1000u, exec.Auid);
        Assert.Equal("expr", exec.Comm);
        Assert.Equal("/usr/bin/expr", exec.Exe);
        Assert.Equal(["expr", "1553", "+", "1"], exec.Argv);
        Assert.Null(exec.ArgvBytes);
        Assert.Equal("/var/spool", exec.Cwd);
        Assert.True(exec.Success);
        Assert.Equal(0, exec.Exit);
        Assert.Equal(12828ul, exec.Serial);
        Assert.Equal("local", exec.Host);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000123), exec.Time);
    }

    [Theory]
    [InlineData("c000003e", 322, "x86_64", "execveat")]
    [InlineData("40000003", 11, "i386", "execve")]
    [InlineData("40000003", 358, "i386", "execveat")]
    [InlineData("c00000b7", 221, "aarch64", "execve")]
    [InlineData("c00000b7", 281, "aarch64", "execveat")]
    public void Reads_the_syscall_number_in_the_callers_ABI(string arch, int number, string archName, string syscall)
    {
        var exec = MapExec(Records.Syscall(1, arch: arch, syscall: number), Records.Of("EXECVE", 1, "argc=1 a0=\"x\""));

        Assert.Equal(archName, exec.Arch);
        Assert.Equal(syscall, exec.Syscall);
    }

    [Theory]
    [InlineData("c000003e", 11)]
    [InlineData("40000003", 59)]
    [InlineData("c00000b7", 59)]
    [InlineData("c000003e", 56)]
    public void Ignores_syscalls_that_are_not_exec_in_that_ABI(string arch, int number)
    {
        Assert.Null(Map("local", Records.Syscall(1, arch: arch, syscall: number)));
    }

    [Fact]
    public void Ignores_an_unknown_arch_and_counts_it()
    {
        var mapper = new ExecObservationMapper("local");

        Assert.Null(Map(mapper, Records.Syscall(1, arch: "deadbeef")));
        Assert.Equal(1, mapper.UnknownArch);
    }

    [Fact]
    public void Joins_an_argument_split_across_three_records()
    {
        var part1 = Records.Hex("hello ");
        var part2 = Records.Hex("big ");
        var part3 = Records.Hex("world");
        var exec = MapExec(
            Records.Syscall(2),
            Records.Of("EXECVE", 2, $"argc=3 a0=\"echo\" a1_len={part1.Length + part2.Length + part3.Length} a1[0]={part1}"),
            Records.Of("EXECVE", 2, $" a1[1]={part2}"),
            Records.Of("EXECVE", 2, $" a1[2]={part3} a2=\"tail\""));

        Assert.Equal(["echo", "hello big world", "tail"], exec.Argv);
        Assert.False(exec.ArgvTruncated);
    }

    [Fact]
    public void Flags_a_chunked_argument_shorter_than_its_announced_length()
    {
        var part1 = Records.Hex("hello ");
        var exec = MapExec(
            Records.Syscall(20),
            Records.Of("EXECVE", 20, $"argc=2 a0=\"echo\" a1_len={part1.Length + 10} a1[0]={part1}"));

        Assert.Equal(["echo", "hello "], exec.Argv);
        Assert.True(exec.ArgvTruncated);
    }

    [Fact]
    public void Flags_a_successful_exec_whose_EXECVE_record_is_missing_instead_of_an_empty_argv_passing_for_complete()
    {
        var exec = MapExec(Records.Syscall(21), Records.Of("CWD", 21, "cwd=\"/\""));

        Assert.Empty(exec.Argv);
        Assert.True(exec.ArgvTruncated);
    }

    [Fact]
    public void Flags_an_argument_the_records_never_gave()
    {
        var exec = MapExec(Records.Syscall(22), Records.Of("EXECVE", 22, "argc=3 a0=\"ls\" a2=\"-l\""));

        Assert.Equal(["ls", "", "-l"], exec.Argv);
        Assert.True(exec.ArgvTruncated);
    }

    [Fact]
    public void Decodes_hex_arguments_and_keeps_an_empty_one()
    {
        var exec = MapExec(Records.Syscall(3), Records.Of("EXECVE", 3, $"argc=3 a0=\"sh\" a1={Records.Hex("a \"quoted\" arg")} a2=\"\""));

        Assert.Equal(["sh", "a \"quoted\" arg", ""], exec.Argv);
    }

    [Fact]
    public void Shows_invalid_UTF8_as_replacement_and_keeps_the_exact_bytes()
    {
        var exec = MapExec(Records.Syscall(4), Records.Of("EXECVE", 4, "argc=2 a0=\"cat\" a1=66FF6F"));

        Assert.Equal(["cat", "f\uFFFDo"], exec.Argv);
        Assert.NotNull(exec.ArgvBytes);
        Assert.Equal([0x66, 0xFF, 0x6F], exec.ArgvBytes![1]);
        Assert.Equal("cat"u8.ToArray(), exec.ArgvBytes[0]);
    }

    [Fact]
    public void Maps_argc_zero_to_an_empty_argv()
    {
        var exec = MapExec(Records.Syscall(5), Records.Of("EXECVE", 5, "argc=0"));
        Assert.Empty(exec.Argv);
        Assert.False(exec.ArgvTruncated);
    }

    [Fact]
    public void Decodes_hex_exe_and_cwd()
    {
        var exec = MapExec(
            Records.Syscall(6, exe: Records.Hex("/usr/bin/python2.7 (deleted)")),
            Records.Of("CWD", 6, $"cwd={Records.Hex("/tmp/a b c")}"));

        Assert.Equal("/usr/bin/python2.7 (deleted)", exec.Exe);
        Assert.Equal("/tmp/a b c", exec.Cwd);
    }

    [Fact]
    public void A_failed_exec_names_the_attempted_path_and_the_negative_errno()
    {
        var exec = MapExec(
            Records.Syscall(7, success: "no", exit: -13, exe: "\"/usr/bin/bash\""),
            Records.Of("CWD", 7, "cwd=\"/home\""),
            Records.Of("PATH", 7, "item=0 name=\"/opt/secret/tool\" nametype=NORMAL"));

        Assert.False(exec.Success);
        Assert.Equal(-13, exec.Exit);
        Assert.Equal("/opt/secret/tool", exec.Exe);
        Assert.Empty(exec.Argv);
    }

    [Fact]
    public void A_failed_exec_without_PATH_has_an_empty_exe()
    {
        var exec = MapExec(Records.Syscall(8, success: "no", exit: -2));

        Assert.Equal(string.Empty, exec.Exe);
        Assert.Equal(-2, exec.Exit);
    }

    [Fact]
    public void Takes_the_host_from_node_before_the_local_name()
    {
        var exec = Map("local", Records.Syscall(9, node: "build-7"), Records.Of("EXECVE", 9, "argc=1 a0=\"x\"", node: "build-7"));

        Assert.Equal("build-7", exec!.Host);
    }

    [Fact]
    public void Counts_EXECVE_without_SYSCALL_and_emits_nothing()
    {
        var mapper = new ExecObservationMapper("local");

        Assert.Null(Map(mapper, Records.Of("EXECVE", 10, "argc=1 a0=\"ls\"")));
        Assert.Equal(1, mapper.ExecveWithoutSyscall);
    }

    [Fact]
    public void A_32_bit_exec_on_x86_64_reports_i386()
    {
        var exec = MapExec(Records.Syscall(11, arch: "40000003", syscall: 11), Records.Of("EXECVE", 11, "argc=1 a0=\"./a.out32\""));

        Assert.Equal("i386", exec.Arch);
        Assert.Equal(["./a.out32"], exec.Argv);
    }

    [Fact]
    public void Unset_login_uid_stays_the_unsigned_maximum()
    {
        var line = Records.Syscall(12).Replace("auid=1000", "auid=4294967295", StringComparison.Ordinal);

        Assert.Equal(uint.MaxValue, MapExec(line).Auid);
    }
}
