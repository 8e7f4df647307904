using ExecDashboard.Domain.Rates;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Api;

/// <summary>
/// <c>/api/rates/*</c>: programs, parents and storms of the live stream, or of a stored session
/// with <c>session=ID</c> (judged as of the recording's last exec; its windows fit the recording);
/// <c>host=NAME</c> narrows them to one host's execs.
/// </summary>
public static class RatesEndpoints
{
    private const int MaxTop = 1000;

    public static RouteGroupBuilder MapRatesApi(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);

        api.MapGet("/rates/programs", async (long? session, string? host, int? window, int? top, RecordingAnalyses analyses, ExecStore store, CancellationToken cancellationToken) =>
        {
            var count = top ?? 10;
            if (count is < 1 or > MaxTop || window is < 1 or > 3600)
            {
                return Results.BadRequest(new ErrorResponse($"window must be 1 to 3600 seconds and top 1 to {MaxTop}."));
            }

            if (await AnalyticsOfAsync(session, host, analyses, store, cancellationToken) is not { } analytics)
            {
                return Results.NotFound(new ErrorResponse($"There is no session {session}."));
            }

            var range = RangeOf(analytics, session, window);
            return Results.Ok(analytics.TopPrograms(range, count).Select(ProgramRateResponse.From));
        });

        api.MapGet("/rates/parents", async (long? session, string? host, int? window, int? top, RecordingAnalyses analyses, ExecStore store, CancellationToken cancellationToken) =>
        {
            var seconds = window ?? 60;
            var count = top ?? 10;
            if (seconds is < 1 or > 3600 || count is < 1 or > MaxTop)
            {
                return Results.BadRequest(new ErrorResponse($"window must be 1 to 3600 seconds and top 1 to {MaxTop}."));
            }

            if (await AnalyticsOfAsync(session, host, analyses, store, cancellationToken) is not { } analytics)
            {
                return Results.NotFound(new ErrorResponse($"There is no session {session}."));
            }

            return Results.Ok(analytics.TopParents(TimeSpan.FromSeconds(seconds), count)
                .Select(r => ParentRateResponse.From(r, analytics.InvocationsOf(r.Parent))));
        });

        api.MapGet("/rates/storms", async (long? session, string? host, double? threshold, RecordingAnalyses analyses, ExecStore store, IOptions<DashboardOptions> options, CancellationToken cancellationToken) =>
        {
            var at = threshold ?? options.Value.StormThresholdPerSecond;
            if (!(at > 0) || double.IsInfinity(at))
            {
                return Results.BadRequest(new ErrorResponse("threshold must be a positive number of execs per second."));
            }

            if (await AnalyticsOfAsync(session, host, analyses, store, cancellationToken) is not { } analytics)
            {
                return Results.NotFound(new ErrorResponse($"There is no session {session}."));
            }

            return Results.Ok(analytics.ProgramStormsAt(at).Select(ProgramStormResponse.From));
        });

        return api;
    }

    private static async Task<IExecAnalytics?> AnalyticsOfAsync(long? session, string? host, RecordingAnalyses analyses, ExecStore store, CancellationToken cancellationToken)
    {
        if (session is { } id && await store.GetSessionAsync(id) is null)
        {
            return null;
        }

        return await analyses.ForAsync(session, string.IsNullOrEmpty(host) ? null : host, cancellationToken);
    }

    /// <summary>The last <paramref name="window"/> seconds; without one, a minute of the live stream or the whole recording.</summary>
    private static TimeRange RangeOf(IExecAnalytics analytics, long? session, int? window) => window is { } seconds
        ? TimeRange.Ending(analytics.Now, TimeSpan.FromSeconds(seconds))
        : session is not null && analytics.Recorded is { } recorded
            ? RecordingRange.Whole(recorded)
            : TimeRange.Ending(analytics.Now, TimeSpan.FromMinutes(1));
}
