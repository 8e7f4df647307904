using System.Reflection;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Web.Ingest;
using ExecDashboard.Web.Sessions;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary>The JSON API under <c>/api</c>; every route but health needs the browser token.</summary>
public static class ApiEndpoints
{
    private const int MaxDescendants = 10_000;

    public static IEndpointRouteBuilder MapDashboardApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").AddEndpointFilter(StoreAwayFilter.InvokeAsync);

        api.MapGet("/health", (CollectorRegistry collectors, IngestQueue queue, ExecStore store) =>
            Results.Ok(new HealthResponse(
                "ok",
                AuthRequired: true,
                typeof(ApiEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown",
                store.Engine,
                store.SchemaVersion,
                collectors.ConnectedCount,
                queue.Count)))
            .AllowAnonymous();

        api.MapGet("/sessions", async (string? host, ExecStore store) =>
        {
            var active = store.ActiveSession?.Id;
            var sessions = await store.GetSessionsAsync();
            if (!string.IsNullOrEmpty(host))
            {
                var withHost = await store.GetSessionIdsWithHostAsync(host);
                sessions = [.. sessions.Where(s => withHost.Contains(s.Id))];
            }

            return Results.Ok(sessions.Select(s => SessionResponse.From(s, active)));
        });

        api.MapGet("/hosts", async (long? session, ExecStore store) =>
            Results.Ok(await store.GetHostCountsAsync(session)));

        api.MapPut("/sessions/{id:long}", async (long id, RenameSessionRequest request, ExecStore store) =>
        {
            if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
            {
                return Results.BadRequest(new ErrorResponse("A session name must be 1 to 200 characters."));
            }

            return await store.RenameSessionAsync(id, request.Name)
                ? Results.Ok(SessionResponse.From((await store.GetSessionAsync(id))!, store.ActiveSession?.Id))
                : Results.NotFound(new ErrorResponse($"There is no session {id}."));
        });

        api.MapDelete("/sessions/{id:long}", async (long id, ExecStore store) => await store.DeleteSessionAsync(id) switch
        {
            SessionDeletion.Deleted => Results.NoContent(),
            SessionDeletion.Active => Results.Conflict(new ErrorResponse($"Session {id} is recording; it can be deleted once its collectors disconnect.")),
            _ => Results.NotFound(new ErrorResponse($"There is no session {id}.")),
        });

        api.MapGet("/sessions/{id:long}/export", async (long id, ExecStore store, ISessionExporter exporter, ExportGate gate) =>
        {
            var session = await store.GetSessionAsync(id);
            if (session is null)
            {
                return Results.NotFound(new ErrorResponse($"There is no session {id}."));
            }

            return new SessionDownload(session, store, exporter, gate);
        });

        api.MapPost("/sessions/import", async (HttpRequest request, string? name, SessionImport import, ExecStore store) =>
        {
            try
            {
                var (session, skipped) = await import.ImportAsync(request, name, request.HttpContext.RequestAborted);
                return Results.Created($"/api/sessions/{session.Id}", ImportResponse.From(session, store.ActiveSession?.Id, skipped));
            }
            catch (ImportTooLargeException ex)
            {
                return Results.Json(new ErrorResponse(ex.Message), statusCode: StatusCodes.Status413PayloadTooLarge);
            }
            catch (ImportFormatException ex)
            {
                return Results.BadRequest(new ErrorResponse($"{ex.Message} Nothing was stored."));
            }
            catch (SessionFormatException ex)
            {
                return Results.BadRequest(new ErrorResponse($"{ex.Message} Nothing was stored."));
            }
        });

        api.MapGet("/collectors", (Fleet.FleetCollectors collectors) => Results.Ok(collectors.Snapshot()));

        api.MapGet("/events", async (string? exe, string? argv, uint? uid, int? pid, string? descendantOf, long? session, string? host, long? before, int? limit, ExecStore store) =>
        {
            ProcessKey? root = null;
            if (!string.IsNullOrEmpty(descendantOf))
            {
                if (!ProcessKey.TryParse(descendantOf, out var parsed))
                {
                    return Results.BadRequest(new ErrorResponse($"'{descendantOf}' is not a process key of the form boot/pid/start."));
                }

                root = parsed;
            }

            var max = limit ?? 200;
            if (max is < 1 or > 10_000)
            {
                return Results.BadRequest(new ErrorResponse("limit must be 1 to 10000."));
            }

            var filter = new ExecFilter { Exe = exe, ArgvText = argv, Uid = uid, Pid = pid, DescendantOf = root, SessionId = session, Host = string.IsNullOrEmpty(host) ? null : host };
            var events = await store.QueryEventsAsync(filter, max, before);
            return Results.Ok(events.Select(EventResponse.From));
        });

        api.MapGet("/processes", async (int? pid, string? exe, long? session, ExecStore store) =>
            Results.Ok((await store.FindProcessesAsync(pid, exe, session)).Select(ProcessResponse.From).ToArray()));

        api.MapGet("/processes/{*key}", async (string key, ExecStore store) =>
        {
            var (processKey, suffix) = SplitKey(key);
            if (processKey is null)
            {
                return Results.BadRequest(new ErrorResponse($"'{key}' is not a process key of the form boot/pid/start."));
            }

            var process = await store.GetProcessAsync(processKey.Value);
            if (process is null)
            {
                return Results.NotFound(new ErrorResponse($"No process {processKey} is known."));
            }

            switch (suffix)
            {
                case null:
                    return Results.Ok(ProcessResponse.From(process));
                case "ancestry":
                    var ancestry = await store.GetAncestryAsync(processKey.Value);
                    return Results.Ok(new AncestryResponse(ProcessResponse.From(process), ancestry.Select(ProcessResponse.From).ToArray()));
                case "descendants":
                    var descendants = await store.GetDescendantsAsync(processKey.Value, max: MaxDescendants + 1);
                    return Results.Ok(new DescendantsResponse(ProcessResponse.From(process), descendants.Take(MaxDescendants).Select(ProcessResponse.From).ToArray(), descendants.Count > MaxDescendants));
                case "graph":
                    return Results.Ok(await store.GetDescendantGraphAsync(processKey.Value));
                default:
                    return Results.NotFound(new ErrorResponse($"Unknown process resource '{suffix}'."));
            }
        });

        api.MapRatesApi();
        api.MapTraceApi();
        api.MapDiagnosticsApi();

        return endpoints;
    }

    /// <summary>
    /// A key holds slashes (<c>boot/pid/start</c>), so it arrives as a catch-all, optionally followed
    /// by <c>/ancestry</c> or <c>/descendants</c>; an escaped key (<c>%2F</c>) works too.
    /// </summary>
    private static (ProcessKey? Key, string? Suffix) SplitKey(string path)
    {
        path = Uri.UnescapeDataString(path);
        if (ProcessKey.TryParse(path, out var whole))
        {
            return (whole, null);
        }

        var slash = path.LastIndexOf('/');
        if (slash > 0 && ProcessKey.TryParse(path[..slash], out var key))
        {
            return (key, path[(slash + 1)..]);
        }

        return (null, null);
    }
}
