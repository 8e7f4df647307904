using System.Diagnostics;
using System.Globalization;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Proc;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Kernel.Tests.Proc;

public sealed class ProcSnapshotTests
{
    [Fact]
    public void Snapshot_contains_pid_1_and_this_process_with_its_real_parent()
    {
        var snapshot = new ProcSnapshotReader().Read();

        var init = Assert.Single(snapshot.Entries, e => e.Pid == 1);
        Assert.Equal(0, init.Ppid);
        var self = Assert.Single(snapshot.Entries, e => e.Pid == Environment.ProcessId);
        Assert.Equal(PsField(Environment.ProcessId, "ppid"), self.Ppid.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(Path.GetFullPath(Environment.ProcessPath!), self.Exe);
        Assert.Equal(Environment.CurrentDirectory, self.Cwd);
        Assert.Equal(PsField(Environment.ProcessId, "uid"), self.Uid?.ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Snapshot_reads_exact_argv_and_a_comm_with_parentheses_of_a_child()
    {
        var dir = Directory.CreateTempSubdirectory("proc-snapshot-");
        var program = Path.Combine(dir.FullName, "a) b (c");
        // perl (essential on Debian) keeps running whatever its arguments are; sleep would reject
        // "two words" as a duration and exit before /proc could be read.
        File.Copy("/usr/bin/perl", program);
        using var child = Start(program, "-e", "sleep 5", "--", "two words", string.Empty, "tab\there");
        try
        {
            WaitForArguments(child);
            var entry = new ProcSnapshotReader().TryReadProcess(child.Id);

            Assert.NotNull(entry);
            Assert.Equal("a) b (c", entry.Comm);
            Assert.Equal(Environment.ProcessId, entry.Ppid);
            Assert.Equal(program, entry.Exe);
            Assert.Equal([program, "-e", "sleep 5", "--", "two words", string.Empty, "tab\there"], entry.Argv);
        }
        finally
        {
            Stop(child);
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Start_ticks_agree_with_ps_start_time()
    {
        var clock = BootIdentity.CreateClock();
        using var child = Start("/bin/sleep", "5");
        try
        {
            Assert.True(ProcStat.TryReadStartTicks(child.Id, out var ticks, out var ppid));

            var lstart = DateTimeOffset.ParseExact(
                PsField(child.Id, "lstart").Replace("  ", " ", StringComparison.Ordinal), "ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.Equal(Environment.ProcessId, ppid);
            Assert.InRange((clock.ToTime(ticks) - lstart).TotalSeconds, 0, 1);
            Assert.InRange((child.StartTime.ToUniversalTime() - clock.ToTime(ticks).UtcDateTime).TotalSeconds, -1.5, 1.5);
        }
        finally
        {
            Stop(child);
        }
    }

    [Fact]
    public void Start_ticks_of_a_process_that_ended_cannot_be_read()
    {
        using var child = Start("/bin/true");
        child.WaitForExit();

        Assert.False(ProcStat.TryReadStartTicks(child.Id, out _, out _));
    }

    [Fact]
    public void Boot_id_prefix_and_boot_time_describe_this_boot()
    {
        var bootId = File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim();
        var uptime = double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);

        var clock = BootIdentity.CreateClock();

        Assert.Equal(bootId[..8], clock.Boot);
        Assert.Matches("^[0-9a-f]{8}$", clock.Boot);
        Assert.InRange((DateTimeOffset.UtcNow - TimeSpan.FromSeconds(uptime) - clock.BootTime).TotalSeconds, -0.1, 2);
        Assert.Equal(int.Parse(Run("getconf", "CLK_TCK"), CultureInfo.InvariantCulture), clock.TicksPerSecond);
    }

    [Fact]
    public void Lineage_from_the_real_snapshot_follows_the_kernel_parent_chain_to_pid_1()
    {
        var clock = BootIdentity.CreateClock();
        var table = new ProcessTable(clock);
        using var child = Start("/bin/sleep", "5");
        try
        {
            table.Seed(new ProcSnapshotReader().Read().Entries);
            Assert.True(ProcStat.TryReadStartTicks(child.Id, out var ticks, out _));
            var exec = ExecBuilder.Of("/usr/bin/sleep", "/bin/sleep", "5")
                .Pid(child.Id)
                .Ppid(Environment.ProcessId)
                .At(DateTimeOffset.UtcNow)
                .Host(Environment.MachineName)
                .Observation();

            var e = table.Attach(exec, ticks);

            Assert.Equal(new ProcessKey(clock.Boot, child.Id, ticks), e.Process);
            Assert.Equal(PsChain(Environment.ProcessId), e.Ancestry.Select(a => a.Pid));
            Assert.All(e.Ancestry, a => Assert.Equal(Provenance.ProcSnapshot, a.Provenance));
            Assert.Equal(Path.GetFullPath(Environment.ProcessPath!), e.Ancestry[0].Exe);
            Assert.Equal(1, e.Ancestry[^1].Pid);
        }
        finally
        {
            Stop(child);
        }
    }

    private static List<int> PsChain(int pid)
    {
        var chain = new List<int>();
        while (pid > 0)
        {
            chain.Add(pid);
            pid = int.Parse(PsField(pid, "ppid"), CultureInfo.InvariantCulture);
        }

        return chain;
    }

    internal static Process Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
    }

    /// <summary>
    /// Process.Start returns once the child's close-on-exec pipe closes, which the kernel does early
    /// in exec: the new comm and exe are set by then, the argument pages not yet, and for that
    /// moment /proc/pid/cmdline reads empty.
    /// </summary>
    private static void WaitForArguments(Process child)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (File.ReadAllBytes($"/proc/{child.Id}/cmdline").Length == 0 && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }
    }

    internal static void Stop(Process child)
    {
        if (!child.HasExited)
        {
            child.Kill();
        }

        child.WaitForExit();
    }

    private static string PsField(int pid, string field) =>
        Run("ps", "-o", field + "=", "-p", pid.ToString(CultureInfo.InvariantCulture));

    private static string Run(string program, params string[] args)
    {
        using var process = Start(program, args);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output.Trim();
    }
}
