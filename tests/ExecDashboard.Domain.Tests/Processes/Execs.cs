using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Tests.Processes;

/// <summary>Builds observations and snapshot entries for lineage tests.</summary>
internal static class Execs
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static readonly BootClock Clock = new("0a1b2c3d", T0.AddHours(-1));

    public static ProcessTable Table(ProcessTableOptions? options = null) => new(Clock, options);

    public static ExecObservation Exec(int pid, int ppid, string exe, params string[] argv) =>
        At(T0, pid, ppid, exe, argv);

    public static ExecObservation At(DateTimeOffset time, int pid, int ppid, string exe, params string[] argv) => new()
    {
        Time = time,
        Serial = 1,
        Host = "test",
        Pid = pid,
        Ppid = ppid,
        Uid = 0,
        Auid = uint.MaxValue,
        Comm = Path.GetFileName(exe),
        Exe = exe,
        Argv = argv.Length > 0 ? argv : [exe],
        Cwd = "/",
        Success = true,
        Exit = 0,
        Syscall = "execve",
        Arch = "x86_64",
    };

    public static ExecObservation Failed(ExecObservation exec) => exec with { Success = false, Exit = -2 };

    public static ProcessSnapshotEntry Snap(int pid, int ppid, long start, string? exe, params string[] argv) => new()
    {
        Pid = pid,
        Ppid = ppid,
        StartTicks = start,
        Comm = exe is null ? "kworker/0:1" : Path.GetFileName(exe),
        Exe = exe,
        Argv = argv,
    };

    /// <summary>PID 1 and a login shell, as a snapshot would find them.</summary>
    public static ProcessTable SeededTable(ProcessTableOptions? options = null)
    {
        var table = Table(options);
        table.Seed(
        [
            Snap(8024, 1, 5000, "/usr/bin/bash", "/bin/bash", "/usr/sbin/sendmail", "-t"),
            Snap(1, 0, 1, "/usr/lib/systemd/systemd", "/usr/lib/systemd/systemd", "--system"),
            Snap(2, 0, 1, null),
        ]);
        return table;
    }
}
