using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>
/// Exec events shaped like the sendmail storm: <c>expr</c> children of a bash script, under
/// systemd. Serial numbers are unique per call site so tests can count arrivals exactly.
/// </summary>
public static class TestEvents
{
    public const string Boot = "0badc0de";
    public const string Host = "test-host";

    public static readonly Ancestor Systemd = new()
    {
        Key = new ProcessKey(Boot, 1, 5),
        Pid = 1,
        Exe = "/usr/lib/systemd/systemd",
        Argv = ["/sbin/init"],
        Provenance = Provenance.ProcSnapshot,
    };

    public static readonly Ancestor Sendmail = new()
    {
        Key = new ProcessKey(Boot, 8024, 1000),
        Pid = 8024,
        Exe = "/usr/bin/bash",
        Argv = ["bash", "/usr/sbin/sendmail", "-t"],
        Provenance = Provenance.ExecSeen,
    };

    public static ExecEvent Expr(ulong serial, DateTimeOffset? time = null)
    {
        var pid = 10_000 + (int)(serial % 50_000);
        return new ExecEvent
        {
            Exec = new ExecObservation
            {
                Time = time ?? DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000).AddMilliseconds((long)serial),
                Serial = serial,
                Host = Host,
                Pid = pid,
                Ppid = Sendmail.Pid,
                Uid = 0,
                Auid = uint.MaxValue,
                Comm = "expr",
                Exe = "/usr/bin/expr",
                Argv = ["expr", serial.ToString(System.Globalization.CultureInfo.InvariantCulture), "+", "1"],
                Cwd = "/var/spool/mqueue",
                Success = true,
                Exit = 0,
                Syscall = "execve",
                Arch = "x86_64",
            },
            Process = new ProcessKey(Boot, pid, 2000 + (long)serial),
            Parent = Sendmail.Key,
            Ancestry = [Sendmail, Systemd],
        };
    }
}
