using System.IO.Pipelines;
using System.Reflection;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions;

/// <summary>The session export format (<c>execdashboard-session</c>): writes version 2 (with the process ends), reads 1 and 2.</summary>
public sealed class SessionFormat : ISessionExporter, ISessionImporter
{
    private static readonly SessionExporter Exporter = new(
        "ExecDashboard",
        typeof(SessionFormat).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown");

    public string ContentType => "application/json";

    public async Task WriteAsync(SessionInfo session, ExecStore store, PipeWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(store);
        var header = new SessionHeader
        {
            Id = session.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Name = session.Name,
            Start = session.Started,
            End = session.Ended,
            Host = session.Host,
            Exporter = Exporter,
        };

        // The engine writes the events and processes (SQLite straight from its rows, PostgreSQL
        // through the contract's serializer); the gaps and ends are few. The ends are asked for
        // at once: finding them means finding the session's processes again, which, asked after
        // the processes were written, was the download's last wait (a quarter of a second for
        // 300,000 execs), and now runs while the events are written. On a thread of its own: a
        // query that long on the thread pool's few threads held up the rest of the download.
        var ends = Task.Factory.StartNew(() => store.GetSessionEnds(session.Id), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await using var events = store.ExportSessionEvents(session.Id);
            await using var processes = store.ExportSessionProcesses(session.Id);
            await SessionWriter.WriteAsync(output, header, events, processes, Gaps(store, session.Id), Exits(ends), cancellationToken);
        }
        finally
        {
            // An export that ended before its ends leaves their failure, if any, to no one.
            _ = ends.ContinueWith(static e => e.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    public bool Recognizes(ReadOnlySpan<byte> head) => head.TrimStart(" \t\r\n"u8).StartsWith("{"u8);

    /// <summary>A session export is all or nothing: it skips nothing, it refuses.</summary>
    public IEnumerable<SessionItem> Read(Stream input, ImportSkips skipped, CancellationToken cancellationToken) =>
        new SessionReader().ReadAsync(input, cancellationToken).ToBlockingEnumerable(cancellationToken);

    /// <summary>The ends of the session's processes, in the order they happened (a file diffs the same each time).</summary>
    private static async IAsyncEnumerable<ProcessEnd> Exits(Task<IReadOnlyDictionary<ProcessKey, ProcessEnd>> ends)
    {
        foreach (var end in (await ends).Values.OrderBy(e => e.Time).ThenBy(e => e.Process.ToString(), StringComparer.Ordinal))
        {
            yield return end;
        }
    }

    private static async IAsyncEnumerable<SessionGap> Gaps(ExecStore store, long sessionId)
    {
        foreach (var g in await store.GetGapsAsync(sessionId))
        {
            if (g.SerialGaps > 0)
            {
                yield return new SessionGap { Kind = SessionGapKind.SerialGap, Time = g.Time, Count = g.SerialGaps, Host = g.CollectorId };
            }

            if (g.KernelLost > 0)
            {
                yield return new SessionGap { Kind = SessionGapKind.KernelLost, Time = g.Time, Count = g.KernelLost, Host = g.CollectorId };
            }
        }
    }
}
