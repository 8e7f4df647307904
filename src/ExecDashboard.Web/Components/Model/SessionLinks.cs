using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// The viewed session in the address: every page takes <c>?session=ID</c> (absent: the live stream)
/// and <c>?host=NAME</c> (absent: every host), so a reload or a shared link shows the same view.
/// </summary>
public static class SessionLinks
{
    public const string Parameter = "session";

    public const string HostParameter = "host";

    /// <summary>The host an address names, or null (every host).</summary>
    public static string? HostFrom(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var query = uri.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        var end = uri.IndexOf('#', query);
        var values = QueryHelpers.ParseQuery(end < 0 ? uri[query..] : uri[query..end]);
        return values.TryGetValue(HostParameter, out var host) && host.ToString() is { Length: > 0 } name ? name : null;
    }

    /// <summary>The session an address names, or null (live) when it names none or not a valid id.</summary>
    public static long? From(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var query = uri.IndexOf('?', StringComparison.Ordinal);
        if (query < 0)
        {
            return null;
        }

        var end = uri.IndexOf('#', query);
        var values = QueryHelpers.ParseQuery(end < 0 ? uri[query..] : uri[query..end]);
        return values.TryGetValue(Parameter, out var text)
            && long.TryParse(text.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
                ? id
                : null;
    }
}
