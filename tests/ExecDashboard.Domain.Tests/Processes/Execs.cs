using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Domain.Tests.Processes;

/// <summary>Builds observations and snapshot entries for lineage tests.</summary>
internal static class Execs
{
    public static readonly DateTimeOffset T0 = ExecBuilder.DefaultTime;

    public static readonly BootClock Clock = new("0a1b2c3d", T0.AddHours(-1));

    public static ProcessTable Table(ProcessTableOptions? options = null) => new(Clock, options);

    public static ExecObservation Exec(int pid, int ppid, string exe, params string[] argv) =>
        At(T0, pid, ppid, exe, argv);

    /// <summary>An observation before lineage; without arguments the exe is argv[0], so no exec has an empty argv by accident.</summary>
    public static ExecObservation At(DateTimeOffset time, int pid, int ppid, string exe, params string[] argv) =>
        ExecBuilder.Of(exe, argv.Length > 0 ? argv : [exe]).Pid(pid).Ppid(ppid).At(time).Host("test").Observation();

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
