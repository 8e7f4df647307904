using System.Text.Json.Serialization;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Sessions;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Api;

/// <summary>JSON shapes of the HTTP API: process keys as their text form, times as ISO-8601.</summary>
public sealed record HealthResponse(string Status, bool AuthRequired, string Version, string Store, int SchemaVersion, int ConnectedCollectors, int IngestQueue);

public sealed record SessionResponse(long Id, string Name, DateTimeOffset Started, DateTimeOffset? Ended, string Host, string Origin, long Events, bool Active)
{
    public static SessionResponse From(SessionInfo s, long? activeId) =>
        new(s.Id, s.Name, s.Started, s.Ended, s.Host, s.Origin, s.EventCount, IsActive(s, activeId));

    /// <summary>
    /// Recording now: the store's live session and not ended. The live id is read before the
    /// sessions, so a session that ends in between comes back ended; it must not also say active.
    /// </summary>
    internal static bool IsActive(SessionInfo s, long? activeId) => s.Id == activeId && s.Ended is null;
}

/// <summary>An imported session (the fields of <see cref="SessionResponse"/>) and what the import skipped.</summary>
public sealed record ImportResponse(long Id, string Name, DateTimeOffset Started, DateTimeOffset? Ended, string Host, string Origin, long Events, bool Active, ImportSkipsResponse Skipped)
{
    public static ImportResponse From(SessionInfo s, long? activeId, ImportSkips skipped) =>
        new(s.Id, s.Name, s.Started, s.Ended, s.Host, s.Origin, s.EventCount, SessionResponse.IsActive(s, activeId), ImportSkipsResponse.From(skipped));
}

/// <summary>Counts of what an import read but could not store whole, and one sentence saying so (empty when nothing).</summary>
public sealed record ImportSkipsResponse(long UnreadableLines, long OversizedLines, long IncompleteExecs, long TruncatedArguments, string Summary)
{
    public static ImportSkipsResponse From(ImportSkips s) =>
        new(s.UnreadableLines, s.OversizedLines, s.IncompleteExecs, s.TruncatedArguments, s.Describe());
}

public sealed record RenameSessionRequest(string? Name);

/// <summary>
/// One process in the exec contract's conventions (<see cref="ApiJsonContext"/>): camelCase,
/// provenance by its contract name (<c>execSeen</c>), times ISO-8601 UTC with microseconds, and
/// what does not exist left out, never <c>null</c> or <c>""</c>: <see cref="Parent"/> when
/// unknown, the end's fields unless it ended, <see cref="ExitCode"/> or <see cref="Signal"/>
/// whichever did not end it, <see cref="CoreDumped"/> unless true. The end's fields carry the names
/// of <see cref="ProcessExitMessage"/>, with <see cref="Ended"/> for its <c>time</c>.
/// </summary>
public sealed record ProcessResponse
{
    public required string Key { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Parent { get; init; }

    public required string Exe { get; init; }

    public required IReadOnlyList<string> Argv { get; init; }

    public required Provenance Provenance { get; init; }

    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset FirstSeen { get; init; }

    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public required DateTimeOffset LastSeen { get; init; }

    /// <summary><c>running</c>, <c>ended</c>, or <c>unknown</c> (its source reports no exits).</summary>
    public required string State { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public DateTimeOffset? Started { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    [JsonConverter(typeof(UtcTimeJsonConverter))]
    public DateTimeOffset? Ended { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? DurationMs { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExitCode { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Signal { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CoreDumped { get; init; }

    public static ProcessResponse From(ProcessInfo p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var end = p.Lifetime.End is { } e ? ProcessExitMessage.From(e) : null;
        return new()
        {
            Key = p.Key.ToString(),
            Pid = p.Pid,
            Ppid = p.Ppid,
            Parent = p.Parent.IsNone ? null : p.Parent.ToString(),
            Exe = p.Exe,
            Argv = p.Argv,
            Provenance = p.Provenance,
            FirstSeen = p.FirstSeen,
            LastSeen = p.LastSeen,
            State = p.Lifetime.State.ToString().ToLowerInvariant(),
            Started = p.Lifetime.End?.Started,
            Ended = p.Lifetime.End?.Time,
            DurationMs = end?.DurationMs,
            ExitCode = end?.ExitCode,
            Signal = end?.Signal,
            CoreDumped = end?.CoreDumped ?? false,
        };
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
