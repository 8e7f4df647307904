using ExecDashboard.Contracts;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary>JSON shapes of the HTTP API: process keys as their text form, times as ISO-8601.</summary>
public sealed record HealthResponse(string Status, bool AuthRequired, string Version, int SchemaVersion, int ConnectedCollectors, int IngestQueue);

public sealed record SessionResponse(long Id, string Name, DateTimeOffset Started, DateTimeOffset? Ended, string Host, string Origin, long Events, bool Active)
{
    public static SessionResponse From(SessionInfo s, long? activeId) =>
        new(s.Id, s.Name, s.Started, s.Ended, s.Host, s.Origin, s.EventCount, s.Id == activeId);
}

public sealed record RenameSessionRequest(string? Name);

public sealed record ProcessResponse(string Key, int Pid, int Ppid, string Parent, string Exe, IReadOnlyList<string> Argv, string Provenance, DateTimeOffset FirstSeen, DateTimeOffset LastSeen)
{
    public static ProcessResponse From(ProcessInfo p) =>
        new(p.Key.ToString(), p.Pid, p.Ppid, p.Parent.ToString(), p.Exe, p.Argv, p.Provenance.ToString(), p.FirstSeen, p.LastSeen);
}

public sealed record AncestryResponse(ProcessResponse Process, IReadOnlyList<ProcessResponse> Ancestry);

public sealed record DescendantsResponse(ProcessResponse Process, IReadOnlyList<ProcessResponse> Descendants, bool Truncated);

public sealed record ChildCountResponse(string Exe, long Count);

public sealed record ErrorResponse(string Error);

/// <summary>An event with its store id and session; the event itself in the hub's wire form.</summary>
public sealed record EventResponse(long Id, long Session, DateTimeOffset Time, ExecEventMessage Event)
{
    public static EventResponse From(StoredExec e) => new(e.Id, e.SessionId, e.Event.Exec.Time, e.Event.ToMessage());
}
