using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Net.Http.Headers;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// Wires the security model: people present the browser token once through the login link
/// (then a cookie), or as a bearer token to the API; collectors present their own token to the
/// hub. Everything needs a token unless marked anonymous (login, health, static assets).
/// </summary>
public static class AuthenticationRegistration
{
    public const string BrowserChallenge =
        "This dashboard needs its token. Open the login link printed when it started (/login?t=TOKEN), " +
        "or send 'Authorization: Bearer TOKEN' (the token is in EXECDASH_TOKEN or the token file).";

    public const string CollectorChallenge =
        "The collector hub needs a collector token as 'Authorization: Bearer TOKEN' (EXECDASH_COLLECTOR_TOKEN or the collector-token file, or a line of Dashboard:CollectorTokensFile).";

    /// <summary>Claim naming the collector token a hub connection opened with (its line in the tokens file).</summary>
    public const string CollectorTokenNameClaim = "execdash:collector-token-name";

    /// <summary>Claim holding that token's fingerprint, checked again at every batch (revocation).</summary>
    public const string CollectorTokenClaim = "execdash:collector-token";

    public static IServiceCollection AddDashboardAuthentication(this IServiceCollection services)
    {
        services.AddAuthentication(DashboardAuthenticationSchemes.Browser)
            .AddPolicyScheme(DashboardAuthenticationSchemes.Browser, "Cookie or bearer", o =>
                o.ForwardDefaultSelector = context =>
                    context.Request.Headers.ContainsKey(HeaderNames.Authorization)
                        ? DashboardAuthenticationSchemes.BrowserBearer
                        : DashboardAuthenticationSchemes.Cookie)
            .AddCookie(DashboardAuthenticationSchemes.Cookie, o =>
            {
                o.Cookie.Name = DashboardAuthenticationSchemes.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
                // A login lasts a fixed time (README), ends at logout, and ends everywhere when the
                // token changes: the cookie names its login and the token it was issued under.
                o.ExpireTimeSpan = LoginRegistry.Lifetime;
                o.SlidingExpiration = false;
                o.Events.OnValidatePrincipal = ValidateLoginAsync;
                // A 401 with a sentence, not a redirect loop: the login link is the way in.
                o.Events.OnRedirectToLogin = c => UnauthorizedResponse.WriteAsync(c.HttpContext, BrowserChallenge);
                o.Events.OnRedirectToAccessDenied = c => UnauthorizedResponse.WriteAsync(c.HttpContext, BrowserChallenge);
            })
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(DashboardAuthenticationSchemes.BrowserBearer, o =>
            {
                o.ChallengeMessage = BrowserChallenge;
            })
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(DashboardAuthenticationSchemes.Collector, o =>
            {
                o.Identify = (context, presented) =>
                    context.RequestServices.GetRequiredService<CollectorCredentials>().Identify(presented) is { } credential
                        ? [new Claim(CollectorTokenNameClaim, credential.Name), new Claim(CollectorTokenClaim, credential.Fingerprint)]
                        : null;
                o.AcceptQueryString = true;
                o.ChallengeMessage = CollectorChallenge;
            });

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(DashboardAuthenticationSchemes.Browser).RequireAuthenticatedUser().Build())
            .AddPolicy(DashboardAuthenticationSchemes.CollectorPolicy, p => p
                .AddAuthenticationSchemes(DashboardAuthenticationSchemes.Collector)
                .RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// <c>GET /login?t=TOKEN</c> (the printed link) answers a page that first removes the token from
    /// the address bar and history, then posts it; <c>GET /login</c> is the manual form, which posts
    /// too. Only <c>POST /login</c> checks the token and sets the cookie; <c>POST /logout</c> ends it.
    /// </summary>
    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", (HttpContext context, IAntiforgery antiforgery, string? t, string? returnUrl) =>
        {
            var form = antiforgery.GetAndStoreTokens(context);
            NoStore(context);
            return Results.Content(LoginPage.Render(form, t, LocalRedirect.OrHome(returnUrl)), "text/html; charset=utf-8");
        }).AllowAnonymous();

        endpoints.MapPost("/login", async (HttpContext context, DashboardTokens tokens, LoginRegistry logins) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            NoStore(context);
            if (!tokens.Browser.Matches(form["t"].ToString()))
            {
                return Results.Text("The token is wrong. Use the login link printed when the dashboard started.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            var (id, expires) = logins.Begin();
            var identity = new ClaimsIdentity(
                [new Claim(ClaimTypes.Name, "dashboard user"), new Claim(LoginIdClaim, id), new Claim(TokenFingerprint.ClaimType, TokenFingerprint.Of(tokens.Browser))],
                DashboardAuthenticationSchemes.Cookie);
            await context.SignInAsync(DashboardAuthenticationSchemes.Cookie, new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = expires, IsPersistent = true });

            // 303: the browser follows with a GET, so a reload does not post the token again.
            return new SeeOther(LocalRedirect.OrHome(form["returnUrl"].ToString()));
        }).AllowAnonymous();

        endpoints.MapPost("/logout", async (HttpContext context, LoginRegistry logins) =>
        {
            logins.End(context.User.FindFirst(LoginIdClaim)?.Value);
            await context.SignOutAsync(DashboardAuthenticationSchemes.Cookie);
            return new SeeOther("/login");
        });
        return endpoints;
    }

    /// <summary>Claim naming the server-side login (see <see cref="LoginRegistry"/>).</summary>
    public const string LoginIdClaim = "execdash:login";

    private static async Task ValidateLoginAsync(CookieValidatePrincipalContext context)
    {
        var tokens = context.HttpContext.RequestServices.GetRequiredService<DashboardTokens>();
        var logins = context.HttpContext.RequestServices.GetRequiredService<LoginRegistry>();
        var principal = context.Principal;
        var issuedUnder = principal?.FindFirst(TokenFingerprint.ClaimType)?.Value;
        if (!string.Equals(issuedUnder, TokenFingerprint.Of(tokens.Browser), StringComparison.Ordinal)
            || !logins.IsLive(principal?.FindFirst(LoginIdClaim)?.Value))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardAuthenticationSchemes.Cookie);
        }
    }

    private static void NoStore(HttpContext context)
    {
        // Pages that carry or receive the token: never cached, never named to another origin.
        // Not "no-referrer": under it Chromium sends "Origin: null" with the login form's own
        // POST, which the same-origin check must refuse.
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Referrer-Policy"] = "same-origin";
    }

    /// <summary>A 303 See Other: after a POST, the browser follows with a GET.</summary>
    private sealed class SeeOther(string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
            httpContext.Response.Headers.Location = location;
            return Task.CompletedTask;
        }
    }
}
