using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Components.Tests.Support;

/// <summary>Single exec events for component tests.</summary>
public static class Execs
{
    public const string Boot = "c0ffee00";

    public static readonly Ancestor Init = new() { Key = new ProcessKey(Boot, 1, 1), Pid = 1, Exe = "/usr/lib/systemd/systemd", Argv = ["/sbin/init"], Provenance = Provenance.ProcSnapshot };

    private static ulong _serial;

    public static ExecEvent Of(int pid, string exe, string[] argv, DateTimeOffset time, uint uid = 0, Ancestor[]? ancestry = null, bool success = true)
    {
        ancestry ??= [Init];
        return new ExecEvent
        {
            Exec = new ExecObservation
            {
                Time = time,
                Serial = Interlocked.Increment(ref _serial),
                Host = "test-host",
                Pid = pid,
                Ppid = ancestry.Length > 0 ? ancestry[0].Pid : 0,
                Uid = uid,
                Auid = uint.MaxValue,
                Comm = Path.GetFileName(exe),
                Exe = exe,
                Argv = argv,
                Cwd = "/tmp",
                Success = success,
                Exit = success ? 0 : -2,
                Syscall = "execve",
                Arch = "x86_64",
            },
            Process = new ProcessKey(Boot, pid, 100 + pid),
            Parent = ancestry.Length > 0 ? ancestry[0].Key : ProcessKey.None,
            Ancestry = ancestry,
        };
    }

    public static Ancestor AsAncestor(ExecEvent e, Provenance provenance = Provenance.ExecSeen) => new()
    {
        Key = e.Process,
        Pid = e.Exec.Pid,
        Exe = e.Exec.Exe,
        Argv = e.Exec.Argv,
        Provenance = provenance,
    };
}
