using ExecDashboard.Web.Sessions;
using ExecDashboard.Web.Storage;
using Microsoft.Net.Http.Headers;

namespace ExecDashboard.Web.Api;

/// <summary>
/// A session export as a file download, written straight into the response's pipe
/// (<see cref="HttpResponse.BodyWriter"/>): Kestrel sends each piece from the buffers it was
/// written in as it is flushed, where <c>Results.Stream</c> would copy it through a stream. The
/// headers are those <c>Results.Stream</c> sends for a named download.
/// </summary>
internal sealed class SessionDownload(SessionInfo session, ExecStore store, ISessionExporter exporter, ExportGate gate) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.ContentType = exporter.ContentType;
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"execdashboard-session-{session.Id}.json"));
        response.Headers.ContentDisposition = disposition.ToString();
        using var turn = await gate.EnterAsync(httpContext.RequestAborted);
        try
        {
            await exporter.WriteAsync(session, store, response.BodyWriter, httpContext.RequestAborted);
        }
        finally
        {
            // Once, with every connection of the export closed: their page caches (the sort's
            // 32 MiB) are free, but glibc would keep them resident in the arenas of their threads.
            NativeHeap.Trim();
        }
    }
}
