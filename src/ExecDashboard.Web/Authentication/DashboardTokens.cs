namespace ExecDashboard.Web.Authentication;

/// <summary>The two secrets: one for people (browser and API), one for collectors (the hub).</summary>
public sealed record DashboardTokens(AccessToken Browser, AccessToken Collector)
{
    public const string BrowserEnvironmentVariable = "EXECDASH_TOKEN";
}
