using System.Security.Claims;
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
        "The collector hub needs the collector token as 'Authorization: Bearer TOKEN' (EXECDASH_COLLECTOR_TOKEN or the collector-token file).";

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
                o.ExpireTimeSpan = TimeSpan.FromDays(3);
                o.SlidingExpiration = true;
                // A 401 with a sentence, not a redirect loop: the login link is the way in.
                o.Events.OnRedirectToLogin = c => UnauthorizedResponse.WriteAsync(c.HttpContext, BrowserChallenge);
                o.Events.OnRedirectToAccessDenied = c => UnauthorizedResponse.WriteAsync(c.HttpContext, BrowserChallenge);
            })
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(DashboardAuthenticationSchemes.BrowserBearer, o =>
            {
                o.Select = t => t.Browser;
                o.ChallengeMessage = BrowserChallenge;
            })
            .AddScheme<TokenAuthenticationOptions, TokenAuthenticationHandler>(DashboardAuthenticationSchemes.Collector, o =>
            {
                o.Select = t => t.Collector;
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

    /// <summary><c>GET /login?t=TOKEN</c>: sets the auth cookie and goes to the dashboard.</summary>
    public static IEndpointRouteBuilder MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", async (HttpContext context, DashboardTokens tokens, string? t, string? returnUrl) =>
        {
            if (string.IsNullOrEmpty(t))
            {
                return Results.Content(LoginForm, "text/html; charset=utf-8");
            }

            if (!tokens.Browser.Matches(t))
            {
                return Results.Text("The token is wrong. Use the login link printed when the dashboard started.\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "dashboard user")], DashboardAuthenticationSchemes.Cookie);
            await context.SignInAsync(DashboardAuthenticationSchemes.Cookie, new ClaimsPrincipal(identity));
            var target = !string.IsNullOrEmpty(returnUrl) && returnUrl.StartsWith('/') && !returnUrl.StartsWith("//", StringComparison.Ordinal) ? returnUrl : "/";
            return Results.Redirect(target);
        }).AllowAnonymous();

        endpoints.MapPost("/logout", async (HttpContext context) =>
        {
            await context.SignOutAsync(DashboardAuthenticationSchemes.Cookie);
            return Results.Redirect("/login");
        });
        return endpoints;
    }

    // Static markup: nothing from a request or a process is placed in it.
    private const string LoginForm = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>ExecDashboard login</title></head>
        <body style="font-family: sans-serif; margin: 3em">
        <h1>ExecDashboard</h1>
        <p>Paste the token printed when the dashboard started (or the content of its token file).</p>
        <form method="get" action="/login"><input name="t" type="password" size="60" autofocus> <button type="submit">Log in</button></form>
        </body></html>
        """;
}
