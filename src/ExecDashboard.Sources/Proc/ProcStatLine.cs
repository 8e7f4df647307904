using System.Buffers.Text;
using System.Text;

namespace ExecDashboard.Sources.Proc;

/// <summary>The fields of one <c>/proc/PID/stat</c> line that lineage needs.</summary>
internal readonly record struct ProcStatLine(string Comm, int Ppid, long StartTicks)
{
    // Fields after the closing parenthesis, counted from field 3 (state); see proc(5).
    private const int PpidIndex = 1;      // field 4
    private const int StartTimeIndex = 19; // field 22

    /// <summary>
    /// Parses a stat line. comm (field 2) is any 15 bytes, spaces and parentheses included
    /// ("(sd-pam)", "a) b (c"), so it runs from the first '(' to the LAST ')' of the line.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out ProcStatLine stat)
    {
        stat = default;
        var open = line.IndexOf((byte)'(');
        var close = line.LastIndexOf((byte)')');
        if (open < 0 || close < open || close + 2 > line.Length)
        {
            return false;
        }

        var comm = Encoding.UTF8.GetString(line[(open + 1)..close]);
        var rest = line[(close + 2)..];
        long ppid = 0;
        long start = 0;
        for (var index = 0; index <= StartTimeIndex; index++)
        {
            var space = rest.IndexOf((byte)' ');
            var field = space < 0 ? rest : rest[..space];
            if (index == PpidIndex && !Utf8Parser.TryParse(field, out ppid, out _))
            {
                return false;
            }

            if (index == StartTimeIndex)
            {
                if (!Utf8Parser.TryParse(field, out start, out _))
                {
                    return false;
                }

                break;
            }

            if (space < 0)
            {
                return false;
            }

            rest = rest[(space + 1)..];
        }

        stat = new ProcStatLine(comm, (int)ppid, start);
        return true;
    }
}
