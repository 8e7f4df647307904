using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Tests.Support;

/// <summary>Hand-built exec events for pure-logic tests.</summary>
internal static class ExecEvents
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static ProcessKey Key(int pid, long start = 0) => new("b00tc0de", pid, start == 0 ? pid * 10L : start);

    public static Ancestor Ancestor(ProcessKey key, string exe, params string[] argv) =>
        new() { Key = key, Pid = key.Pid, Exe = exe, Argv = argv, Provenance = Provenance.ExecSeen };

    /// <summary>An exec of <paramref name="exe"/> by process <paramref name="process"/>, child of the first ancestor.</summary>
    public static ExecEvent Exec(
        ProcessKey process,
        IReadOnlyList<Ancestor> ancestry,
        DateTimeOffset time,
        string exe,
        string[] argv,
        ulong serial = 1,
        IReadOnlyList<byte[]>? argvBytes = null) => new()
        {
            Exec = new ExecObservation
            {
                Time = time,
                Serial = serial,
                Host = "testhost",
                Pid = process.Pid,
                Ppid = ancestry.Count > 0 ? ancestry[0].Pid : 0,
                Uid = 0,
                Auid = uint.MaxValue,
                Comm = Path.GetFileName(exe),
                Exe = exe,
                Argv = argv,
                ArgvBytes = argvBytes,
                Cwd = "/",
                Success = true,
                Exit = 0,
                Syscall = "execve",
                Arch = "x86_64",
            },
            Process = process,
            Parent = ancestry.Count > 0 ? ancestry[0].Key : ProcessKey.None,
            Ancestry = ancestry,
        };
}
