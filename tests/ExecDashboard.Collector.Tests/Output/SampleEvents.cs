using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Tests.Output;

internal static class SampleEvents
{
    public static ExecEvent Expr(bool success = true, IReadOnlyList<string>? argv = null, IReadOnlyList<byte[]>? argvBytes = null) => new()
    {
        Exec = new ExecObservation
        {
            Time = new DateTimeOffset(2026, 11, 24, 16, 5, 12, 345, TimeSpan.Zero),
            Serial = 4242,
            Host = "vm",
            Pid = 12828,
            Ppid = 8024,
            Uid = 0,
            Auid = uint.MaxValue,
            Comm = "expr",
            Exe = "/usr/bin/expr",
            Argv = argv ?? ["expr", "1553", "+", "1"],
            ArgvBytes = argvBytes,
            Cwd = "/var/spool",
            Success = success,
            Exit = success ? 0 : -2,
            Syscall = "execve",
            Arch = "x86_64",
        },
        Process = new ProcessKey("0a1b2c3d", 12828, 1000),
        Parent = new ProcessKey("0a1b2c3d", 8024, 900),
        Ancestry =
        [
            new Ancestor { Key = new ProcessKey("0a1b2c3d", 8024, 900), Pid = 8024, Exe = "/usr/bin/bash", Argv = ["/bin/sh", "/usr/sbin/sendmail", "-t"], Provenance = Provenance.ExecSeen },
            new Ancestor { Key = new ProcessKey("0a1b2c3d", 1, 5), Pid = 1, Exe = "/usr/lib/systemd/systemd", Argv = ["/sbin/init"], Provenance = Provenance.ProcSnapshot },
        ],
    };
}
