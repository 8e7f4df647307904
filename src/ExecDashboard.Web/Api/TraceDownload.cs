using System.Globalization;
using ExecDashboard.Web.Sessions.Trace;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary>
/// Writes a session as a Chrome trace, taking its turn with the exports (<see cref="ExportGate"/>):
/// a trace holds one span per process in memory while it is built, so two at once would hold two
/// sessions' worth. A session naming more than <c>MaxTraceProcesses</c> processes is refused (422)
/// before anything is written, and the memory is handed back when it ends (<see cref="HeapRelease"/>).
/// Measured on a 300,000-exec session: without these, one trace took the dashboard from 186 to
/// 288 MB and three at once to 520 MB, which it kept; with them each peaks at 266-285 MB and the
/// dashboard is back at 176-178 MB after.
/// </summary>
internal sealed class TraceDownload(SessionInfo session, ExecStore store, ExportGate gate, int maxProcesses) : IResult
{
    /// <summary>
    /// Spans below which the memory is left to the collector's usual pace: handing it back is a
    /// blocking full collection, a pause of every thread (ingest included) a small trace does not need.
    /// </summary>
    private const int ReleaseFrom = 10_000;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        using var turn = await gate.EnterAsync(httpContext.RequestAborted);

        // Held until the trace is read whole (or refused at the bound): then it was a large one.
        var held = maxProcesses;
        try
        {
            var spans = await SessionSpans.ReadAsync(store, session.Id, maxProcesses, httpContext.RequestAborted);
            held = spans?.Count ?? maxProcesses;
            if (spans is null)
            {
                await Results.UnprocessableEntity(new ErrorResponse(string.Create(CultureInfo.InvariantCulture,
                    $"Session {session.Id} names more than {maxProcesses:N0} processes, more than a trace is built from in memory (Dashboard:MaxTraceProcesses); export the session instead, or raise the limit.")))
                    .ExecuteAsync(httpContext);
                return;
            }

            await Results.Stream(
                output => ChromeTraceWriter.WriteAsync(session.Name, spans, output, httpContext.RequestAborted),
                ChromeTraceWriter.ContentType,
                string.Create(CultureInfo.InvariantCulture, $"execdashboard-session-{session.Id}.trace.json"))
                .ExecuteAsync(httpContext);
        }
        finally
        {
            if (held >= ReleaseFrom)
            {
                HeapRelease.AfterLargeJob();
            }
        }
    }
}
