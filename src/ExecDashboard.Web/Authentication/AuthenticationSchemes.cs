namespace ExecDashboard.Web.Authentication;

/// <summary>Scheme and policy names.</summary>
public static class DashboardAuthenticationSchemes
{
    /// <summary>Picks cookie or bearer for people, by the request's Authorization header.</summary>
    public const string Browser = "Browser";

    public const string Cookie = "BrowserCookie";

    public const string BrowserBearer = "BrowserBearer";

    public const string Collector = "Collector";

    public const string CollectorPolicy = "CollectorPolicy";

    public const string CookieName = ".ExecDashboard.Auth";
}
