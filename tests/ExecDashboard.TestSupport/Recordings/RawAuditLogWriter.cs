using System.Globalization;
using System.Text;

namespace ExecDashboard.TestSupport.Recordings;

/// <summary>
/// Writes execs as auditd's RAW log format writes them (SYSCALL, EXECVE, CWD, PATH, PROCTITLE, one
/// serial per exec), so generated recordings go through the same parser, assembler and importer as
/// a real <c>/var/log/audit/audit.log</c>.
/// </summary>
public sealed class RawAuditLogWriter(TextWriter output, string node)
{
    private const int ExecveSyscall = 59;
    private ulong _serial = 1000;

    /// <summary>How many execs were written.</summary>
    public long Execs { get; private set; }

    public void Write(RecordedExec exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        var serial = _serial++;
        Execs++;
        var millis = exec.Time.ToUnixTimeMilliseconds();
        var stamp = string.Create(CultureInfo.InvariantCulture, $"msg=audit({millis / 1000}.{millis % 1000:D3}:{serial}):");
        var comm = Path.GetFileName(exec.Exe);
        if (comm.Length > 15)
        {
            comm = comm[..15]; // TASK_COMM_LEN - 1
        }

        var success = exec.Exit == 0 ? "yes" : "no";
        Line(stamp, "SYSCALL", string.Create(CultureInfo.InvariantCulture,
            $"arch=c000003e syscall={ExecveSyscall} success={success} exit={exec.Exit} a0=55d7c1e0a2f0 a1=55d7c1e0b4a0 a2=55d7c1e0c010 a3=8 items=2 ppid={exec.Ppid} pid={exec.Pid} auid=1000 uid={exec.Uid} gid={exec.Uid} euid={exec.Uid} suid={exec.Uid} fsuid={exec.Uid} egid={exec.Uid} sgid={exec.Uid} fsgid={exec.Uid} tty=pts0 ses=2 comm={Encode(comm)} exe={Encode(exec.Exe)} key=\"execdash\""));
        if (exec.Exit == 0)
        {
            var args = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"argc={exec.Argv.Count}"));
            for (var i = 0; i < exec.Argv.Count; i++)
            {
                args.Append(CultureInfo.InvariantCulture, $" a{i}={Encode(exec.Argv[i])}");
            }

            Line(stamp, "EXECVE", args.ToString());
        }

        Line(stamp, "CWD", $"cwd={Encode(exec.Cwd)}");
        Line(stamp, "PATH", $"item=0 name={Encode(exec.Exe)} inode=1573021 dev=fd:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
        Line(stamp, "PROCTITLE", $"proctitle={Convert.ToHexString(Encoding.UTF8.GetBytes(string.Join('\0', exec.Argv)))}");
    }

    private void Line(string stamp, string type, string fields) =>
        output.Write($"node={node} type={type} {stamp} {fields}\n");

    /// <summary>
    /// The kernel quotes a value unless it holds a quote, a control character, a space or a byte
    /// above 0x7e; then the whole value is hex (kernel/audit.c, audit_string_contains_control).
    /// </summary>
    private static string Encode(string value)
    {
        foreach (var c in value)
        {
            if (c == '"' || c <= 0x20 || c > 0x7e)
            {
                return Convert.ToHexString(Encoding.UTF8.GetBytes(value));
            }
        }

        return $"\"{value}\"";
    }
}
