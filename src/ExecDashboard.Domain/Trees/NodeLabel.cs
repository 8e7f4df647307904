using System.Globalization;
using System.Text;

namespace ExecDashboard.Domain.Trees;

/// <summary>
/// Short one-line labels for graph nodes and ancestry links: the exe's file name, then the pid
/// or a count, then the arguments after argv[0]. Control characters are escaped as in
/// <see cref="Processes.LineageText"/>, so an argument holding a newline cannot break a label.
/// </summary>
internal static class NodeLabel
{
    public static string ForProcess(string exe, int pid, IReadOnlyList<string> argv) =>
        Build(exe, string.Create(CultureInfo.InvariantCulture, $"({pid})["), argv);

    public static string ForGroup(string exe, int count, IReadOnlyList<string> argv) =>
        Build(exe, $" ×{CountText.Of(count)} [", argv);

    private static string Build(string exe, string middle, IReadOnlyList<string> argv)
    {
        var text = new StringBuilder(64);
        Escape(text, exe.Length == 0 ? "?" : Path.GetFileName(exe));
        text.Append(middle);
        for (var i = 1; i < argv.Count; i++)
        {
            if (i > 1)
            {
                text.Append(' ');
            }

            Escape(text, argv[i]);
        }

        return text.Append(']').ToString();
    }

    private static void Escape(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\n' => text.Append("\\n"),
                '\t' => text.Append("\\t"),
                '\r' => text.Append("\\r"),
                _ when char.IsControl(c) => text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)),
                _ => text.Append(c),
            };
        }
    }
}
