using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Validation;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Takes an uploaded file (a session export or a raw audit log) as it arrives, within the size
/// limit, picks the importer by its first bytes, checks every item with the one
/// <see cref="ExecValidator"/>, and stores it as one new session, all or nothing.
/// </summary>
public sealed class SessionImport(IEnumerable<ISessionImporter> importers, ExecStore store, IOptions<DashboardOptions> options)
{
    private const int SniffBytes = 4096;

    /// <summary>
    /// Items read ahead of the store: two chunks, so the parser keeps going while the writer
    /// stores one (with half a chunk, each thread waited for the other at every chunk).
    /// </summary>
    private const int PrefetchItems = 2 * ImportChunk.MaxItems;

    private const int CheckedAncestorsKept = 4096;

    public async Task<ImportOutcome> ImportAsync(HttpRequest request, string? name, CancellationToken cancellationToken)
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

        await using var upload = await UploadStream.StartAsync(request.Body, SniffBytes, limit, cancellationToken);
        if (upload.Head.IsEmpty)
        {
            throw new ImportFormatException("The upload is empty; send a session export (JSON) or an audit log as the request body.");
        }

        var importer = importers.FirstOrDefault(i => i.Recognizes(upload.Head.Span));
        var chosenName = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        var refusal = importer is null ? "The upload is neither a session export (JSON) nor an audit log this dashboard can read."
            : chosenName is { Length: > ExecLimits.MaxSessionNameChars } ? $"The session name has {chosenName.Length} characters, more than the limit of {ExecLimits.MaxSessionNameChars}."
            : null;
        if (importer is null || refusal is not null)
        {
            // Answered after the whole body, as before parsing began during the upload: an upload
            // over the limit still gets the size error, whatever else is wrong with it.
            await upload.DiscardRestAsync(cancellationToken);
            throw new ImportFormatException(refusal ?? string.Empty);
        }

        var skipped = new ImportSkips();

        // Validation runs on the read-ahead thread with the parsing; the skip counts are read only
        // after the store has consumed every item (the reader has then finished).
        var items = PrefetchedItems.Of(Validated(importer.Read(upload.Body, skipped, cancellationToken), skipped), PrefetchItems, cancellationToken);
        try
        {
            // A thread of its own: the import blocks for seconds (writing, waiting for the reader),
            // and on a small machine two blocked pool threads starve the hub calls and the ingest
            // worker of threads until the pool grows (measured: acknowledgements delayed up to 2.6 s).
            var session = await Task.Factory.StartNew(() => store.Import(chosenName, items), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return new ImportOutcome(session, skipped);
        }
        finally
        {
            // A raw log's replay lineage table (every process of the log: a replay sees no exits)
            // and the parse buffers are garbage once the import is over.
            HeapRelease.AfterLargeJob();
        }
    }

    /// <summary>
    /// Every item passes the same checks as a collector's batch before the store sees it; the first
    /// that fails ends the import (the store's transaction rolls back) with where and what.
    /// </summary>
    private static IEnumerable<SessionItem> Validated(IEnumerable<SessionItem> items, ImportSkips skipped)
    {
        // A raw log's execs share their ancestor objects (the replay's lineage hands out the same
        // instance of a parent to each child), so each is checked once, as in a collector batch;
        // started over now and then to stay small.
        var checkedAncestors = new HashSet<Ancestor>(ReferenceEqualityComparer.Instance);
        foreach (var item in items)
        {
            if (checkedAncestors.Count >= CheckedAncestorsKept)
            {
                checkedAncestors.Clear();
            }

            try
            {
                switch (item)
                {
                    case SessionHeaderItem h:
                        ExecValidator.Validate(h.Header);
                        break;
                    case SessionEventItem e:
                        ExecValidator.Validate(e.Event, checkedAncestors);
                        if (e.Event.Exec.ArgvTruncated)
                        {
                            skipped.TruncatedArguments++;
                        }

                        break;
                    case SessionProcessItem p:
                        ExecValidator.Validate(p.Process);
                        break;
                    case SessionGapItem g:
                        ExecValidator.Validate(g.Gap);
                        break;
                    case SessionExitItem x:
                        ExecValidator.Validate(x.End);
                        break;
                }
            }
            catch (ExecValidationException ex)
            {
                var where = item switch
                {
                    SessionEventItem e => $"events[{e.Index}]",
                    SessionProcessItem p => $"processes[{p.Index}]",
                    SessionGapItem g => $"gaps[{g.Index}]",
                    SessionExitItem x => $"exits[{x.Index}]",
                    _ => "session",
                };
                throw new ImportFormatException($"{where} is refused: {ex.Message}", ex);
            }

            yield return item;
        }
    }
}

/// <summary>The stored session and what the import could not store whole.</summary>
public sealed record ImportOutcome(SessionInfo Session, ImportSkips Skipped);

public sealed class ImportTooLargeException(long limit)
    : Exception($"The upload is larger than the import limit of {limit} bytes (Dashboard:MaxImportBytes); nothing was stored.")
{
    public long Limit { get; } = limit;
}
