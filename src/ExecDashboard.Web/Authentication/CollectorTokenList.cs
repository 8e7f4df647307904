using System.Globalization;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// The fleet's collector tokens file: one named token per line, <c>name token</c> or
/// <c>name:token</c>, blank lines and <c># comments</c> ignored. A name says whose token it is (a
/// host or a group of hosts) and shows on the collectors page; removing a line revokes it.
/// </summary>
public sealed class CollectorTokenList
{
    public const int MaxNameLength = 64;

    private CollectorTokenList(IReadOnlyList<CollectorCredential> tokens, IReadOnlyList<string> problems)
    {
        Tokens = tokens;
        Problems = problems;
    }

    /// <summary>The usable tokens, in file order.</summary>
    public IReadOnlyList<CollectorCredential> Tokens { get; }

    /// <summary>One sentence per line left out (weak token, repeated name or token, unreadable line).</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// Reads the list; a line with a problem is left out and named in <see cref="Problems"/>, never
    /// half-used. A token equal to <paramref name="browserToken"/> is refused: it must not open both doors.
    /// </summary>
    public static CollectorTokenList Parse(string file, IEnumerable<string> lines, AccessToken browserToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(browserToken);
        var tokens = new List<CollectorCredential>();
        var problems = new List<string>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var where = string.Create(CultureInfo.InvariantCulture, $"{file}, line {number}");
            var split = line.IndexOfAny([' ', '\t', ':']);
            if (split <= 0)
            {
                problems.Add($"{where}: expected 'name token' or 'name:token'.");
                continue;
            }

            var name = line[..split];
            var value = line[(split + 1)..].Trim();
            if (name.Length > MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            {
                problems.Add($"{where}: the name '{name}' must be 1 to {MaxNameLength} letters, digits, '.', '-', '_' or '@'.");
                continue;
            }

            if (value.Length == 0 || value.Any(char.IsWhiteSpace))
            {
                problems.Add($"{where}: the token of '{name}' is missing or holds spaces.");
                continue;
            }

            var bits = TokenStrength.EstimateBits(value);
            if (bits < TokenStrength.MinimumBits)
            {
                problems.Add($"{where}: the token of '{name}' is too weak (about {bits:0} bits, at least {TokenStrength.MinimumBits} needed); use 'openssl rand -hex 32'.");
                continue;
            }

            if (browserToken.Matches(value))
            {
                problems.Add($"{where}: the token of '{name}' is the browser token; give collectors tokens of their own.");
                continue;
            }

            if (!names.Add(name))
            {
                problems.Add($"{where}: the name '{name}' is used twice; each line needs its own name.");
                continue;
            }

            var token = new AccessToken(value, where);
            if (tokens.Any(t => t.Token.Matches(value)))
            {
                problems.Add($"{where}: the token of '{name}' is also another name's; each name needs its own token.");
                continue;
            }

            tokens.Add(new CollectorCredential(name, token));
        }

        return new CollectorTokenList(tokens, problems);
    }
}
