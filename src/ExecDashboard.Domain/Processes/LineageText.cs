using System.Text;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// The one-line text form of an exec and its lineage:
/// <c>exe(pid)[args] -- parent-exe(ppid)[args] -- ... -- /usr/lib/systemd/systemd(1)[...]</c>.
/// </summary>
/// <remarks>
/// Arguments exclude argv[0] (the exe already names the program) and are joined by spaces.
/// Control characters are escaped (<c>\n</c>, <c>\t</c>, <c>\xNN</c>) so one exec stays one line.
/// An ancestor whose program is unknown (inferred) is shown as <c>?</c>.
/// </remarks>
public static class LineageText
{
    public const string Separator = " -- ";

    public static string Format(ExecEvent execEvent)
    {
        ArgumentNullException.ThrowIfNull(execEvent);
        var text = new StringBuilder(128);
        AppendProcess(text, execEvent.Exec.Exe, execEvent.Exec.Pid, execEvent.Exec.Argv);
        foreach (var ancestor in execEvent.Ancestry)
        {
            text.Append(Separator);
            AppendProcess(text, ancestor.Exe, ancestor.Pid, ancestor.Argv);
        }

        return text.ToString();
    }

    private static void AppendProcess(StringBuilder text, string exe, int pid, IReadOnlyList<string> argv)
    {
        AppendEscaped(text, exe.Length > 0 ? exe : "?");
        text.Append('(').Append(pid).Append(")[");
        for (var i = 1; i < argv.Count; i++)
        {
            if (i > 1)
            {
                text.Append(' ');
            }

            AppendEscaped(text, argv[i]);
        }

        text.Append(']');
    }

    private static void AppendEscaped(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\n':
                    text.Append("\\n");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }
    }
}
