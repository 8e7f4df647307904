using System.Globalization;

namespace ExecDashboard.Domain.Trees;

/// <summary>
/// One argv standing for many of the same length: a position whose value is the same everywhere
/// keeps it; one that varies becomes <see cref="Number"/> when every value is an integer, else
/// <see cref="Any"/>. <c>expr 1 + 1</c>, <c>expr 2 + 1</c>, … gives <c>expr N + 1</c>.
/// </summary>
public static class ArgumentTemplate
{
    public const string Number = "N";
    public const string Any = "*";

    public static IReadOnlyList<string> Of(IReadOnlyList<IReadOnlyList<string>> argvs)
    {
        ArgumentNullException.ThrowIfNull(argvs);
        if (argvs.Count == 0)
        {
            return [];
        }

        var first = argvs[0];
        var template = new string[first.Count];
        for (var i = 0; i < template.Length; i++)
        {
            var same = true;
            var numeric = IsNumber(first[i]);
            for (var j = 1; j < argvs.Count && (same || numeric); j++)
            {
                var value = i < argvs[j].Count ? argvs[j][i] : string.Empty;
                same &= string.Equals(value, first[i], StringComparison.Ordinal);
                numeric &= IsNumber(value);
            }

            template[i] = same ? first[i] : numeric ? Number : WordTemplate(argvs, i) ?? Any;
        }

        return template;
    }

    /// <summary>
    /// A varying argument made of the same number of words everywhere (<c>sh -c 'cc -c X.c'</c>)
    /// keeps its fixed words: <c>cc -c *</c> says more than <c>*</c>. Null when the word counts differ
    /// or no word is fixed.
    /// </summary>
    private static string? WordTemplate(IReadOnlyList<IReadOnlyList<string>> argvs, int position)
    {
        var words = new IReadOnlyList<string>[argvs.Count];
        for (var j = 0; j < argvs.Count; j++)
        {
            words[j] = position < argvs[j].Count ? argvs[j][position].Split(' ') : [];
            if (words[j].Count != words[0].Count || words[j].Count < 2)
            {
                return null;
            }
        }

        var template = Of(words);
        return template.All(w => w is Any or Number) ? null : string.Join(' ', template);
    }

    /// <summary>True when every argv is the same but for positions that hold integers in all of them.</summary>
    public static bool DiffersOnlyInNumbers(IReadOnlyList<IReadOnlyList<string>> argvs)
    {
        ArgumentNullException.ThrowIfNull(argvs);
        for (var j = 1; j < argvs.Count; j++)
        {
            if (argvs[j].Count != argvs[0].Count)
            {
                return false;
            }

            for (var i = 0; i < argvs[0].Count; i++)
            {
                if (!string.Equals(argvs[j][i], argvs[0][i], StringComparison.Ordinal) && !(IsNumber(argvs[j][i]) && IsNumber(argvs[0][i])))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsNumber(string value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
}
