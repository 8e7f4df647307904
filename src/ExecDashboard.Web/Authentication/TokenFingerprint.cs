using System.Security.Cryptography;
using System.Text;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// A short digest of the browser token, written into the (encrypted) login cookie: when the token
/// changes, every cookie issued under the old one stops matching and is refused.
/// </summary>
public static class TokenFingerprint
{
    public const string ClaimType = "execdash:token";

    public static string Of(AccessToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token.Value)).AsSpan(0, 16));
    }
}
