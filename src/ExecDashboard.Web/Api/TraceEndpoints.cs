using ExecDashboard.Web.Sessions.Trace;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary><c>GET /api/sessions/{id}/trace</c>: a session as a Chrome trace (Perfetto UI, <c>chrome://tracing</c>).</summary>
public static class TraceEndpoints
{
    public static RouteGroupBuilder MapTraceApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/sessions/{id:long}/trace", async (long id, HttpContext context, ExecStore store) =>
        {
            var session = await store.GetSessionAsync(id);
            if (session is null)
            {
                return Results.NotFound(new ErrorResponse($"There is no session {id}."));
            }

            var spans = await SessionSpans.ReadAsync(store, id, context.RequestAborted);
            return Results.Stream(
                output => ChromeTraceWriter.WriteAsync(session.Name, spans, output, context.RequestAborted),
                ChromeTraceWriter.ContentType,
                $"execdashboard-session-{id}.trace.json");
        });
        return api;
    }
}
