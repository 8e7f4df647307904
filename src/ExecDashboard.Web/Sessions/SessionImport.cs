using System.Runtime;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Takes an uploaded file (a session export or a raw audit log), buffers it to a temporary file
/// within the size limit, picks the importer by its first bytes, and stores it as one new
/// session, all or nothing.
/// </summary>
public sealed class SessionImport(IEnumerable<ISessionImporter> importers, ExecStore store, IOptions<DashboardOptions> options)
{
    private const int SniffBytes = 4096;

    /// <summary>Items read ahead of the store: enough to keep both threads busy, few enough to stay small.</summary>
    private const int PrefetchItems = 4096;

    public async Task<SessionInfo> ImportAsync(HttpRequest request, string? name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = options.Value.MaxImportBytes;
        if (request.ContentLength > limit)
        {
            throw new ImportTooLargeException(limit);
        }

        var sizeFeature = request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // Kestrel's default (30 MB) would answer before we could say why; we count ourselves.
            sizeFeature.MaxRequestBodySize = null;
        }

        var temp = Path.Combine(Path.GetTempPath(), $"execdash-import-{Guid.NewGuid():N}");
        var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite, Options = FileOptions.DeleteOnClose };
        await using var buffer = new FileStream(temp, create);
        var chunk = new byte[81920];
        long total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new ImportTooLargeException(limit);
            }

            await buffer.WriteAsync(chunk.AsMemory(0, read), cancellationToken);
        }

        if (total == 0)
        {
            throw new ImportFormatException("The upload is empty; send a session export (JSON) or an audit log as the request body.");
        }

        buffer.Position = 0;
        var head = new byte[Math.Min(SniffBytes, total)];
        await buffer.ReadExactlyAsync(head, cancellationToken);
        buffer.Position = 0;
        var importer = importers.FirstOrDefault(i => i.Recognizes(head))
            ?? throw new ImportFormatException("The upload is neither a session export (JSON) nor an audit log this dashboard can read.");
        var items = PrefetchedItems.Of(importer.Read(buffer, cancellationToken), PrefetchItems, cancellationToken);
        try
        {
            return await Task.Run(() => store.Import(string.IsNullOrWhiteSpace(name) ? null : name.Trim(), items), cancellationToken);
        }
        finally
        {
            // A raw log's replay lineage table (every process of the log: a replay sees no exits)
            // and the parse buffers are garbage once the import is over; hand their memory back
            // now instead of whenever the next full collection comes (measured: a 300,000-exec
            // log left the dashboard 220 MB larger).
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        }
    }
}

public sealed class ImportTooLargeException(long limit)
    : Exception($"The upload is larger than the import limit of {limit} bytes (Dashboard:MaxImportBytes); nothing was stored.")
{
    public long Limit { get; } = limit;
}
