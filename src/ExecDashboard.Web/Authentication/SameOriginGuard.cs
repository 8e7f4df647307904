using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Net.Http.Headers;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// Refuses requests a page of another origin could make with the user's cookie. SameSite does not
/// help here: every port of 127.0.0.1 is the same site, so a page served from another local port
/// can send a logged-in browser's cookie along with a simple (no-CORS) request.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Any request whose <c>Origin</c> is another origin (or <c>null</c>), or whose
/// <c>Sec-Fetch-Site</c> is <c>cross-site</c> or <c>same-site</c>, is refused for a state change
/// and for the two connection endpoints (the Blazor circuit and the collector hub).</item>
/// <item>A state change (POST, PUT, PATCH, DELETE) carried by the cookie also needs a proof that a
/// simple cross-origin request cannot carry: the <see cref="ProofHeader"/> header (a custom header
/// forces a CORS preflight, which this app never grants) or a valid antiforgery form token.</item>
/// <item>Bearer-token requests need neither: a cross-site page cannot attach an Authorization
/// header, and API clients send no Origin.</item>
/// </list>
/// </remarks>
public sealed class SameOriginGuard(RequestDelegate next, IAntiforgery antiforgery)
{
    public const string ProofHeader = "X-ExecDashboard-Request";

    public const string CrossOriginRefusal =
        "Refused: this request comes from a page of another origin. Use the dashboard's own pages, or send the token as 'Authorization: Bearer TOKEN'.";

    public const string MissingProofRefusal =
        "Refused: a change made with the login cookie needs the " + ProofHeader + " header (the dashboard's pages send it) or a form token; API clients send 'Authorization: Bearer TOKEN' instead.";

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var changesState = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method));
        var connection = request.Path.StartsWithSegments("/_blazor") || request.Path.StartsWithSegments(Contracts.CollectorHubContract.Path);
        if (!changesState && !connection)
        {
            await next(context);
            return;
        }

        var bearer = request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        if (!bearer && IsCrossOrigin(request))
        {
            await RefuseAsync(context, CrossOriginRefusal);
            return;
        }

        // The circuit's own POSTs (negotiate, disconnect beacons) are same-origin by the check
        // above; SignalR's client cannot add our header to them.
        if (changesState && !bearer && !connection && !await HasProofAsync(context))
        {
            await RefuseAsync(context, MissingProofRefusal);
            return;
        }

        await next(context);
    }

    /// <summary>True when the browser says the request was made by a page of another origin.</summary>
    public static bool IsCrossOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
        {
            return true;
        }

        var origin = request.Headers[HeaderNames.Origin].ToString();
        if (origin.Length == 0)
        {
            return false;
        }

        // Origin is scheme://host[:port] exactly; ours is what the browser used to reach us.
        var own = $"{request.Scheme}://{request.Host.Value}";
        return !string.Equals(origin, own, StringComparison.OrdinalIgnoreCase);
    }

    private async Task<bool> HasProofAsync(HttpContext context)
    {
        if (context.Request.Headers.ContainsKey(ProofHeader))
        {
            return true;
        }

        return context.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(context);
    }

    private static Task RefuseAsync(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }
}
