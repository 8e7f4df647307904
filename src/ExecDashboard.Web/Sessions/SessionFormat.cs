using System.IO.Pipelines;
using System.Reflection;
using ExecDashboard.Contracts.Sessions;
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
        // through the contract's serializer) and finds the processes' ends; the gaps are few.
        await using var export = store.ExportSession(session.Id);
        await SessionWriter.WriteAsync(output, header, export.Events, export.Processes, Gaps(store, session.Id), Exits(export), cancellationToken);
    }

    public bool Recognizes(ReadOnlySpan<byte> head) => head.TrimStart(" \t\r\n"u8).StartsWith("{"u8);

    /// <summary>A session export is all or nothing: it skips nothing, it refuses.</summary>
    public IEnumerable<SessionItem> Read(Stream input, ImportSkips skipped, CancellationToken cancellationToken) =>
        new SessionReader().ReadAsync(input, cancellationToken).ToBlockingEnumerable(cancellationToken);

    /// <summary>The ends of the session's processes, in the order they happened (a file diffs the same each time).</summary>
    private static async IAsyncEnumerable<ProcessEnd> Exits(SessionExport export)
    {
        foreach (var end in (await export.EndsAsync()).OrderBy(e => e.Time).ThenBy(e => e.Process.ToString(), StringComparer.Ordinal))
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
