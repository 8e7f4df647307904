using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary>
/// An API call that finds the database away (a PostgreSQL server restarting) answers 503 with one
/// sentence instead of a bare 500; the same call works again once the server is back.
/// </summary>
internal static partial class StoreAwayFilter
{
    public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (context.HttpContext.RequestServices.GetRequiredService<ExecStore>().IsTransient(ex))
        {
            LogAway(context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StoreAwayFilter)), ex, context.HttpContext.Request.Path);
            return Results.Json(new ErrorResponse("The database is unreachable for now; try again once it is back."), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database is unreachable; {Path} answered 503.")]
    private static partial void LogAway(ILogger logger, Exception ex, string path);
}
