using System.Globalization;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// What makes two processes "the same program invoked again": the same exe and the same argv,
/// where arguments made only of digits (queue sizes, PIDs, counters) are replaced by <c>N</c>.
/// <c>bash /usr/sbin/sendmail -t</c> started 300 times is one program with 300 invocations.
/// </summary>
public readonly record struct ProgramSignature(string Exe, string ArgvTemplate)
{
    public static ProgramSignature Of(string exe, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(exe);
        ArgumentNullException.ThrowIfNull(argv);
        return new ProgramSignature(exe, string.Join(' ', Template(argv)));
    }

    /// <summary>
    /// How people name the program: the exe's file name and the argument template after argv[0]
    /// (argv[0] is often a path or a login-shell dash), <c>bash /usr/sbin/sendmail -t</c>.
    /// </summary>
    public static string LabelOf(string exe, IReadOnlyList<string> argv)
    {
        ArgumentNullException.ThrowIfNull(exe);
        ArgumentNullException.ThrowIfNull(argv);
        var name = exe.Length == 0 ? "?" : Path.GetFileName(exe);
        return argv.Count > 1 ? $"{name} {string.Join(' ', Template(argv).Skip(1))}" : name;
    }

    public override string ToString() => $"{Exe} [{ArgvTemplate}]";

    private static string[] Template(IReadOnlyList<string> argv)
    {
        var parts = new string[argv.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = long.TryParse(argv[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "N" : argv[i];
        }

        return parts;
    }
}
