using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Authentication;

/// <summary>Options naming which token a <see cref="TokenAuthenticationHandler"/> checks.</summary>
public sealed class TokenAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The claims of whoever presents this token, or null when it opens nothing here.
    /// Default: the browser token.
    /// </summary>
    public Func<HttpContext, string, IReadOnlyList<Claim>?> Identify { get; set; } = (context, presented) =>
        context.RequestServices.GetRequiredService<DashboardTokens>().Browser.Matches(presented) ? [] : null;

    /// <summary>Also accept <c>?access_token=</c>, which SignalR uses where headers cannot be set.</summary>
    public bool AcceptQueryString { get; set; }

    /// <summary>Sentence sent with a 401, saying what to do.</summary>
    public string ChallengeMessage { get; set; } = "A token is required.";
}

/// <summary>Checks <c>Authorization: Bearer TOKEN</c> against one of the dashboard's tokens.</summary>
public sealed class TokenAuthenticationHandler(
    IOptionsMonitor<TokenAuthenticationOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder)
    : AuthenticationHandler<TokenAuthenticationOptions>(options, logger, encoder)
{
    private const string BearerPrefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        var header = Request.Headers.Authorization.ToString();
        if (header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            presented = header[BearerPrefix.Length..].Trim();
        }
        else if (Options.AcceptQueryString && Request.Query.TryGetValue("access_token", out var query))
        {
            presented = query.ToString();
        }

        if (presented is null)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (Options.Identify(Context, presented) is not { } claims)
        {
            return Task.FromResult(AuthenticateResult.Fail("The token is wrong (or was revoked)."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, Scheme.Name), .. claims], Scheme.Name);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        await UnauthorizedResponse.WriteAsync(Context, failure is null ? Options.ChallengeMessage : $"{failure.Message} {Options.ChallengeMessage}");
    }
}
