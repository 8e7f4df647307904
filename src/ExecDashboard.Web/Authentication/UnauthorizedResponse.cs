namespace ExecDashboard.Web.Authentication;

/// <summary>The one shape of a 401: status, a WWW-Authenticate hint and a sentence saying what to do.</summary>
public static class UnauthorizedResponse
{
    public static Task WriteAsync(HttpContext context, string message)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message + "\n");
    }
}
