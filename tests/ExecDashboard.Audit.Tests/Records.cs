using System.Text;
using ExecDashboard.Audit.Parsing;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Audit.Tests;

/// <summary>Inline records for unit tests.</summary>
internal static class Records
{
    public static RawAuditRecord Line(string line) => new(0, Encoding.UTF8.GetBytes(line));

    public static RawAuditRecord Netlink(ushort type, string payload) => new(type, Encoding.UTF8.GetBytes(payload));

    public static AuditRecord Parse(string line)
    {
        var result = new AuditRecordParser().Parse(Line(line));
        Assert.True(result.Succeeded, $"{line}: {result.Reason}");
        return result.Record!;
    }

    public static string Hex(string text) => Convert.ToHexString(Encoding.UTF8.GetBytes(text));

    public static string Syscall(
        uint serial,
        string arch = "c000003e",
        int syscall = 59,
        string success = "yes",
        long exit = 0,
        int pid = 200,
        int ppid = 100,
        string exe = "\"/usr/bin/expr\"",
        string time = "1700000000.123",
        string? node = null) =>
        $"{(node is null ? "" : $"node={node} ")}type=SYSCALL msg=audit({time}:{serial}): arch={arch} syscall={syscall} success={success} exit={exit} a0=1 a1=2 a2=3 a3=4 items=1 ppid={ppid} pid={pid} auid=1000 uid=1001 gid=1001 euid=1001 suid=1001 fsuid=1001 egid=1001 sgid=1001 fsgid=1001 tty=pts0 ses=3 comm=\"expr\" exe={exe} key=(null)";

    public static string Of(string type, uint serial, string fields, string time = "1700000000.123", string? node = null) =>
        $"{(node is null ? "" : $"node={node} ")}type={type} msg=audit({time}:{serial}): {fields}";
}
