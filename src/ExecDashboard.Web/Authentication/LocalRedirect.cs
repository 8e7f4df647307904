namespace ExecDashboard.Web.Authentication;

/// <summary>Where a login may send the browser afterwards: only a path of this site.</summary>
public static class LocalRedirect
{
    private static readonly Uri Probe = new("http://this-site.invalid/");

    /// <summary>
    /// True for <c>/path?query</c> on this site. Refuses <c>//host</c> and <c>/\host</c> (browsers
    /// read a backslash as a slash, so both name another host), any backslash or control
    /// character, and anything that resolves to another host.
    /// </summary>
    public static bool IsSafe(string? url)
    {
        if (string.IsNullOrEmpty(url) || url[0] != '/' || url.Length > 2048)
        {
            return false;
        }

        if (url.Length > 1 && url[1] is '/' or '\\')
        {
            return false;
        }

        foreach (var c in url)
        {
            if (c == '\\' || char.IsControl(c))
            {
                return false;
            }
        }

        return Uri.TryCreate(Probe, url, out var resolved)
            && string.Equals(resolved.Host, Probe.Host, StringComparison.Ordinal)
            && resolved.Port == Probe.Port
            && resolved.Scheme == Probe.Scheme;
    }

    public static string OrHome(string? url) => IsSafe(url) ? url! : "/";
}
