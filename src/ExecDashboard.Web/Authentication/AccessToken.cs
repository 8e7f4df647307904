using System.Security.Cryptography;
using System.Text;

namespace ExecDashboard.Web.Authentication;

/// <summary>A secret compared in constant time, so response timing does not leak its prefix.</summary>
public sealed class AccessToken
{
    private readonly byte[] _bytes;

    public AccessToken(string value, string origin)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        Origin = origin;
        _bytes = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    /// <summary>Where the token came from (an environment variable or a file), for the start-up log.</summary>
    public string Origin { get; }

    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_bytes, Encoding.UTF8.GetBytes(candidate));

    public override string ToString() => $"token from {Origin}";
}
