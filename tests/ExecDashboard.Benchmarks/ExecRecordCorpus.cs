using System.Globalization;
using System.Text;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Benchmarks;

/// <summary>
/// Realistic auditd log lines of an exec storm (a shell forking <c>expr</c>): per event SYSCALL,
/// EXECVE, CWD, two PATHs, PROCTITLE and EOE, as auditd 3 writes them in RAW format.
/// </summary>
internal static class ExecRecordCorpus
{
    public const int RecordsPerEvent = 7;

    public static RawAuditRecord[] Build(int events)
    {
        var records = new List<RawAuditRecord>(events * RecordsPerEvent);
        for (var i = 0; i < events; i++)
        {
            var serial = 1000 + i;
            var pid = 20000 + i;
            var header = string.Create(CultureInfo.InvariantCulture, $"msg=audit(1700000000.{i % 1000:D3}:{serial}):");
            Add(records, $"type=SYSCALL {header} arch=c000003e syscall=59 success=yes exit=0 a0=55d7c1e0a2f0 a1=55d7c1e0b4a0 a2=55d7c1e0c010 a3=8 items=2 ppid=8024 pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=(none) ses=2 comm=\"expr\" exe=\"/usr/bin/expr\" subj=unconfined key=\"exec\"");
            Add(records, $"type=EXECVE {header} argc=4 a0=\"expr\" a1=\"{i}\" a2=\"+\" a3=\"1\"");
            Add(records, $"type=CWD {header} cwd=\"/var/spool/mqueue\"");
            Add(records, $"type=PATH {header} item=0 name=\"/usr/bin/expr\" inode=1573021 dev=fd:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
            Add(records, $"type=PATH {header} item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=1575329 dev=fd:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0");
            Add(records, $"type=PROCTITLE {header} proctitle=65787072003135353300{Convert.ToHexString(Encoding.ASCII.GetBytes("+"))}0031");
            Add(records, $"type=EOE {header}");
        }

        return [.. records];
    }

    private static void Add(List<RawAuditRecord> records, string line) =>
        records.Add(new RawAuditRecord(0, Encoding.UTF8.GetBytes(line)));
}
