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
        var parts = new string[argv.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = long.TryParse(argv[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "N" : argv[i];
        }

        return new ProgramSignature(exe, string.Join(' ', parts));
    }

    public override string ToString() => $"{Exe} [{ArgvTemplate}]";
}
