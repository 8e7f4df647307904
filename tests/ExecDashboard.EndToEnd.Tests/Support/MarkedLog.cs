using System.Globalization;
using ExecDashboard.TestSupport.Recordings;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// A raw auditd log of <c>/bin/true MARK-i</c> execs on one node, i from 1: each exec names its
/// place in the input, so what a dashboard stored can be compared with what was written, one by one.
/// </summary>
internal static class MarkedLog
{
    public static string Marker(string mark, int i) => mark + i.ToString(CultureInfo.InvariantCulture);

    public static async Task WriteAsync(string path, string node, string mark, int count, int firstPid = 2000)
    {
        await using var output = new StreamWriter(path);
        var writer = new RawAuditLogWriter(output, node);
        var start = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        for (var i = 1; i <= count; i++)
        {
            writer.Write(new RecordedExec
            {
                Time = start.AddMilliseconds(i),
                Pid = firstPid + (i % 20_000),
                Ppid = 1,
                Exe = "/usr/bin/true",
                Argv = ["/bin/true", Marker(mark, i)],
            });
        }
    }
}
