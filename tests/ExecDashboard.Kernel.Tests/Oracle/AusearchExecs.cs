using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ExecDashboard.Kernel.Tests.Oracle;

/// <summary>One EXECVE event as <c>ausearch -i</c> (Debian's auditd package) interprets it.</summary>
internal sealed record OracleExec(ulong Serial, int Pid, int Ppid, string Exe, IReadOnlyList<byte[]> Argv);

/// <summary>
/// Reads <c>ausearch --input LOG -m EXECVE -i</c>: an independent decoder of auditd's log to
/// compare ours with. Its interpreted text is read as bytes (Latin-1 maps bytes one to one),
/// since ausearch prints non-ASCII argument bytes raw and control characters as <c>\ooo</c>.
/// A backslash is printed raw, so an argument holding a literal backslash followed by three
/// octal digits would read ambiguously; the workload has none.
/// </summary>
internal static partial class AusearchExecs
{
    private static readonly Encoding Bytes = Encoding.Latin1;

    public static IReadOnlyDictionary<ulong, OracleExec> Read(string logPath)
    {
        var start = new ProcessStartInfo("ausearch") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Bytes };
        foreach (var argument in new[] { "--input", logPath, "-m", "EXECVE", "-i" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ausearch did not start.");
        var text = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"ausearch failed ({process.ExitCode}): {error}");

        var execs = new Dictionary<ulong, OracleExec>();
        foreach (var block in text.Split("----\n", StringSplitOptions.RemoveEmptyEntries))
        {
            if (Parse(block.Split('\n', StringSplitOptions.RemoveEmptyEntries)) is { } exec)
            {
                execs.Add(exec.Serial, exec);
            }
        }

        return execs;
    }

    private static OracleExec? Parse(string[] lines)
    {
        var syscall = lines.FirstOrDefault(l => l.StartsWith("type=SYSCALL ", StringComparison.Ordinal));
        var execve = lines.Where(l => l.StartsWith("type=EXECVE ", StringComparison.Ordinal)).ToList();
        if (syscall is null || execve.Count == 0)
        {
            return null;
        }

        var (serial, body) = Split(syscall);
        return new OracleExec(
            serial,
            int.Parse(Field(body, "pid"), CultureInfo.InvariantCulture),
            int.Parse(Field(body, "ppid"), CultureInfo.InvariantCulture),
            Encoding.UTF8.GetString(Unescape(Between(body, " exe=", " key=") ?? Between(body, " exe=", " subj=") ?? string.Empty)),
            Arguments(execve.Select(l => Split(l).Body)));
    }

    /// <summary>Joins <c>aN=</c> values and <c>aN[k]=</c> chunks (ausearch prints an event's records last first).</summary>
    private static byte[][] Arguments(IEnumerable<string> bodies)
    {
        var whole = new Dictionary<int, byte[]>();
        var chunks = new Dictionary<int, SortedDictionary<int, byte[]>>();
        var argc = 0;
        foreach (var body in bodies)
        {
            var keys = Key().Matches(body);
            for (var i = 0; i < keys.Count; i++)
            {
                var valueStart = keys[i].Index + keys[i].Length;
                var valueEnd = i + 1 < keys.Count ? keys[i + 1].Index - 1 : body.Length; // the space before the next key separates
                var value = body[valueStart..valueEnd];
                if (i + 1 == keys.Count && value.EndsWith(' '))
                {
                    value = value[..^1]; // ausearch ends every line with a space
                }

                var name = keys[i].Groups["name"].Value;
                if (name == "argc")
                {
                    argc = int.Parse(value, CultureInfo.InvariantCulture);
                }
                else if (keys[i].Groups["chunk"].Success)
                {
                    var index = int.Parse(keys[i].Groups["index"].Value, CultureInfo.InvariantCulture);
                    var chunk = int.Parse(keys[i].Groups["chunk"].Value, CultureInfo.InvariantCulture);
                    (chunks.TryGetValue(index, out var parts) ? parts : chunks[index] = [])[chunk] = Unescape(value);
                }
                else if (!keys[i].Groups["len"].Success)
                {
                    whole[int.Parse(keys[i].Groups["index"].Value, CultureInfo.InvariantCulture)] = Unescape(value);
                }
            }
        }

        return [.. Enumerable.Range(0, argc).Select(i => whole.TryGetValue(i, out var w) ? w : chunks.TryGetValue(i, out var c) ? [.. c.Values.SelectMany(x => x)] : [])];
    }

    private static (ulong Serial, string Body) Split(string line)
    {
        // type=X msg=audit(11/24/26 16:19:53.201:4) : body
        var open = line.IndexOf("msg=audit(", StringComparison.Ordinal);
        var close = line.IndexOf(") : ", open, StringComparison.Ordinal);
        var stamp = line[(open + 10)..close];
        var serial = ulong.Parse(stamp[(stamp.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
        return (serial, " " + line[(close + 4)..]);
    }

    private static string Field(string body, string name) =>
        Between(body, $" {name}=", " ") ?? throw new FormatException($"No {name}= in '{body}'.");

    private static string? Between(string body, string from, string to)
    {
        var start = body.IndexOf(from, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += from.Length;
        var end = body.IndexOf(to, start, StringComparison.Ordinal);
        return end < 0 ? null : body[start..end];
    }

    private static byte[] Unescape(string value)
    {
        var raw = Bytes.GetBytes(value);
        var output = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '\\' && i + 3 < raw.Length && IsOctal(raw[i + 1]) && IsOctal(raw[i + 2]) && IsOctal(raw[i + 3]))
            {
                output.Add((byte)(((raw[i + 1] - '0') << 6) | ((raw[i + 2] - '0') << 3) | (raw[i + 3] - '0')));
                i += 3;
            }
            else
            {
                output.Add(raw[i]);
            }
        }

        return [.. output];
    }

    private static bool IsOctal(byte b) => b is >= (byte)'0' and <= (byte)'7';

    [GeneratedRegex(@"(?<= )(?<name>argc|a(?<index>\d+)(?:(?<len>_len)|\[(?<chunk>\d+)\])?)=", RegexOptions.CultureInvariant)]
    private static partial Regex Key();
}
