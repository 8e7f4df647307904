using System.Net;

namespace ExecDashboard.Web.Configuration;

/// <summary>
/// Exec arguments hold secrets and the token travels with every request, so plain HTTP is only
/// for loopback. A listener on any other address needs HTTPS (Kestrel certificate settings) or an
/// explicit <c>Dashboard:AllowPlainHttpOnNetwork=true</c>, which is then warned about.
/// </summary>
public static class NetworkExposure
{
    /// <summary>Addresses served over plain HTTP beyond loopback, from <c>--urls</c> and <c>Kestrel:Endpoints</c>.</summary>
    public static IReadOnlyList<string> PlainHttpOnNetwork(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var urls = new List<string>();
        urls.AddRange((configuration[WebHostDefaults.ServerUrlsKey] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url)
            {
                urls.Add(url);
            }
        }

        return [.. urls.Where(u => u.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !IsLoopback(u))];
    }

    /// <summary>The one sentence that stops the start, or the warning printed when it is allowed.</summary>
    public static string Describe(IReadOnlyList<string> plain, bool allowed) => allowed
        ? $"WARNING: serving plain HTTP beyond loopback ({string.Join(", ", plain)}): tokens and exec arguments cross the network unencrypted (Dashboard:AllowPlainHttpOnNetwork=true)."
        : $"Refusing to serve plain HTTP beyond loopback ({string.Join(", ", plain)}): use an https:// URL with a certificate (Kestrel:Certificates:Default:Path) or pass --Dashboard:AllowPlainHttpOnNetwork=true.";

    private static bool IsLoopback(string url)
    {
        // Kestrel's wildcards (*, +, 0.0.0.0, [::]) bind every interface; Uri cannot parse * or +.
        var rest = url["http://".Length..];
        var hostEnd = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        var host = hostEnd <= 0 ? rest : rest[..hostEnd];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address);
    }
}
