namespace ExecDashboard.Web.Authentication;

/// <summary>
/// Refuses guessable tokens at start-up: each must carry at least 128 bits, estimated from its
/// length and the character classes it uses (so 32 random hex digits pass, a short word does not),
/// and the people's and the collectors' tokens must differ (one must not open the other's door).
/// </summary>
public static class TokenStrength
{
    public const int MinimumBits = 128;

    /// <summary>One sentence per problem; empty when both tokens are fit.</summary>
    public static IReadOnlyList<string> Check(DashboardTokens tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var failures = new List<string>();
        Check(tokens.Browser, "browser token", failures);
        Check(tokens.Collector, "collector token", failures);
        if (string.Equals(tokens.Browser.Value, tokens.Collector.Value, StringComparison.Ordinal))
        {
            failures.Add("The browser token and the collector token are the same; give collectors a token of their own (EXECDASH_COLLECTOR_TOKEN or the collector-token file).");
        }

        return failures;
    }

    /// <summary>Bits an attacker must guess if the token was drawn at random from the classes it uses.</summary>
    public static double EstimateBits(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        bool lower = false, upper = false, digit = false, other = false;
        foreach (var c in token)
        {
            lower |= char.IsAsciiLetterLower(c);
            upper |= char.IsAsciiLetterUpper(c);
            digit |= char.IsAsciiDigit(c);
            other |= !char.IsAsciiLetterOrDigit(c);
        }

        var pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
        if (token.All(char.IsAsciiHexDigit))
        {
            // Hex digits carry 4 bits each, whatever letters happen to appear.
            pool = 16;
        }

        // A token of few distinct characters ("aaaa…") is not drawn from its classes at random.
        var distinct = token.Distinct().Count();
        return token.Length * Math.Log2(Math.Max(2, Math.Min(pool, distinct * 4)));
    }

    private static void Check(AccessToken token, string what, List<string> failures)
    {
        var bits = EstimateBits(token.Value);
        if (bits < MinimumBits)
        {
            failures.Add($"The {what} ({token}) is too weak (about {bits:0} bits, at least {MinimumBits} needed); use 32 or more random hex digits, for example from 'openssl rand -hex 32'.");
        }
    }
}
