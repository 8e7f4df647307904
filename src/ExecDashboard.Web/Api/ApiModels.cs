using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Web.Sessions;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary>JSON shapes of the HTTP API: process keys as their text form, times as ISO-8601.</summary>
public sealed record HealthResponse(string Status, bool AuthRequired, string Version, string Store, int SchemaVersion, int ConnectedCollectors, int IngestQueue);

public sealed record SessionResponse(long Id, string Name, DateTimeOffset Started, DateTimeOffset? Ended, string Host, string Origin, long Events, bool Active)
{
    public static SessionResponse From(SessionInfo s, long? activeId) =>
        new(s.Id, s.Name, s.Started, s.Ended, s.Host, s.Origin, s.EventCount, s.Id == activeId);
}

/// <summary>An imported session (the fields of <see cref="SessionResponse"/>) and what the import skipped.</summary>
public sealed record ImportResponse(long Id, string Name, DateTimeOffset Started, DateTimeOffset? Ended, string Host, string Origin, long Events, bool Active, ImportSkipsResponse Skipped)
{
    public static ImportResponse From(SessionInfo s, long? activeId, ImportSkips skipped) =>
        new(s.Id, s.Name, s.Started, s.Ended, s.Host, s.Origin, s.EventCount, s.Id == activeId, ImportSkipsResponse.From(skipped));
}

/// <summary>Counts of what an import read but could not store whole, and one sentence saying so (empty when nothing).</summary>
public sealed record ImportSkipsResponse(long UnreadableLines, long OversizedLines, long IncompleteExecs, long TruncatedArguments, string Summary)
{
    public static ImportSkipsResponse From(ImportSkips s) =>
        new(s.UnreadableLines, s.OversizedLines, s.IncompleteExecs, s.TruncatedArguments, s.Describe());
}

public sealed record RenameSessionRequest(string? Name);

/// <param name="State"><c>running</c>, <c>ended</c>, or <c>unknown</c> (its source reports no exits).</param>
/// <param name="ExitCode">Set when it ended by itself; <paramref name="ExitSignal"/> when a signal killed it.</param>
public sealed record ProcessResponse(
    string Key, int Pid, int Ppid, string Parent, string Exe, IReadOnlyList<string> Argv, string Provenance, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
    string State, DateTimeOffset? Started, DateTimeOffset? Ended, int? ExitCode, int? ExitSignal, bool? CoreDumped, long? DurationMs)
{
    public static ProcessResponse From(ProcessInfo p)
    {
        var end = p.Lifetime.End;
        return new(
            p.Key.ToString(), p.Pid, p.Ppid, p.Parent.ToString(), p.Exe, p.Argv, p.Provenance.ToString(), p.FirstSeen, p.LastSeen,
            p.Lifetime.State.ToString().ToLowerInvariant(), end?.Started, end?.Time, end?.Status.Code, end?.Status.Signal, end?.Status.CoreDumped,
            end is null ? null : (long)end.Duration.TotalMilliseconds);
    }
}

public sealed record AncestryResponse(ProcessResponse Process, IReadOnlyList<ProcessResponse> Ancestry);

public sealed record DescendantsResponse(ProcessResponse Process, IReadOnlyList<ProcessResponse> Descendants, bool Truncated);

public sealed record ChildCountResponse(string Exe, long Count);

public sealed record ErrorResponse(string Error);

/// <summary>
/// An event with its store id and session; the event itself in the one public form, as in jsonl
/// lines and session exports (written through <see cref="ContractJsonContext"/>).
/// </summary>
public sealed record EventResponse(long Id, long Session, ExecEventMessage Event)
{
    public static EventResponse From(StoredExec e) => new(e.Id, e.SessionId, e.Event.ToMessage());
}
