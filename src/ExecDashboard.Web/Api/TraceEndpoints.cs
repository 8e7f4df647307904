using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Api;

/// <summary><c>GET /api/sessions/{id}/trace</c>: a session as a Chrome trace (Perfetto UI, <c>chrome://tracing</c>).</summary>
public static class TraceEndpoints
{
    public static RouteGroupBuilder MapTraceApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/sessions/{id:long}/trace", async (long id, ExecStore store, ExportGate gate, IOptions<DashboardOptions> options) =>
        {
            var session = await store.GetSessionAsync(id);
            return session is null
                ? Results.NotFound(new ErrorResponse($"There is no session {id}."))
                : new TraceDownload(session, store, gate, options.Value.MaxTraceProcesses);
        });
        return api;
    }
}
