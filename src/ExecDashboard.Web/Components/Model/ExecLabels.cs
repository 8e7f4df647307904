using System.Globalization;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Plain-text labels in the notation, <c>expr(12828)[1553 + 1] -- bash(8024)[/usr/sbin/sendmail -t] -- systemd(1)</c>.
/// Every label is rendered as text by Razor (encoded), never as markup: argv can hold anything.
/// </summary>
public static class ExecLabels
{
    public const string ChainSeparator = " -- ";

    /// <summary>
    /// <c>name(pid)[args]</c> with the program's file name and the arguments after argv[0];
    /// <c>name(pid)</c> when there are none.
    /// </summary>
    public static string Of(string exe, int pid, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(exe);
        ArgumentNullException.ThrowIfNull(argv);
        var name = exe.Length == 0 ? "?" : Path.GetFileName(exe);
        return argv.Count > 1
            ? string.Create(CultureInfo.InvariantCulture, $"{name}({pid})[{string.Join(' ', argv.Skip(1))}]")
            : string.Create(CultureInfo.InvariantCulture, $"{name}({pid})");
    }

    public static string Of(Ancestor ancestor)
    {
        ArgumentNullException.ThrowIfNull(ancestor);
        return Of(ancestor.Exe, ancestor.Pid, ancestor.Argv);
    }

    /// <summary>
    /// The chain to PID 1, nearest first. Beyond <paramref name="keep"/> links the middle is elided
    /// (the nearest links and PID 1 say the most), with the number of links left out.
    /// </summary>
    public static string CompactChain(IReadOnlyList<Ancestor> chain, int keep = 4)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain.Count <= keep)
        {
            return string.Join(ChainSeparator, chain.Select(Of));
        }

        var head = chain.Take(keep - 1).Select(Of);
        var hidden = chain.Count - keep;
        return string.Join(ChainSeparator, [.. head, $"…{hidden.ToString(CultureInfo.InvariantCulture)} more…", Of(chain[^1])]);
    }
}
