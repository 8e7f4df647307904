using ExecDashboard.Web.Diagnostics;

namespace ExecDashboard.Web.Api;

/// <summary>
/// <c>GET /api/diagnostics/latency</c>: p50/p90/p99 in ms of each stage an exec passes on the
/// dashboard (kernel → hub, commit, notify, render) over its last samples;
/// <c>DELETE</c> forgets them, so a measurement can start clean.
/// </summary>
public static class DiagnosticsEndpoints
{
    public static RouteGroupBuilder MapDiagnosticsApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        api.MapGet("/diagnostics/latency", (LatencySummary latency) => Results.Ok(latency.Snapshot()));
        api.MapDelete("/diagnostics/latency", (LatencySummary latency) =>
        {
            latency.Clear();
            return Results.NoContent();
        });
        return api;
    }
}
