using System.Globalization;
using System.Text;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.TestSupport.Execs;

/// <summary>
/// Every field of an exec as one line of text, so a round-trip test compares whole events with
/// <c>Assert.Equal</c> and a failure shows the field that differs (records compare lists by reference).
/// </summary>
public static class ExecDump
{
    public static string Of(ExecEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var x = e.Exec;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"time={x.Time.UtcDateTime:O} serial={x.Serial} host={x.Host} pid={x.Pid} ppid={x.Ppid} uid={x.Uid} auid={x.Auid} ");
        text.Append(CultureInfo.InvariantCulture, $"comm={x.Comm} exe={x.Exe} argv=[{string.Join('|', x.Argv)}] ");
        text.Append(CultureInfo.InvariantCulture, $"argvBytes={(x.ArgvBytes is null ? "none" : string.Join('|', x.ArgvBytes.Select(Convert.ToHexString)))} truncated={x.ArgvTruncated} ");
        text.Append(CultureInfo.InvariantCulture, $"cwd={x.Cwd} success={x.Success} exit={x.Exit} syscall={x.Syscall} arch={x.Arch} process={e.Process} parent={e.Parent} ancestry=");
        foreach (var a in e.Ancestry)
        {
            text.Append(CultureInfo.InvariantCulture, $"[{a.Key} {a.Pid} {a.Exe} ({string.Join('|', a.Argv)}) {a.Provenance}]");
        }

        return text.ToString();
    }

    public static IReadOnlyList<string> Of(IEnumerable<ExecEvent> events) => [.. events.Select(Of)];
}
