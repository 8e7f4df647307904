using System.Text.Json.Serialization;

namespace ExecDashboard.Domain.Processes;

/// <summary>How we know what we know about a process, strongest first.</summary>
/// <remarks>
/// The member names are the one public name of each value in every JSON form (jsonl, API, session
/// files). They sit on the type, not on the members that carry it, because a member converter
/// takes the generated fast path away from the collector's jsonl output (JsonLinesBenchmarks).
/// </remarks>
[JsonConverter(typeof(JsonStringEnumConverter<Provenance>))]
public enum Provenance
{
    /// <summary>We received the exec that started its current program image.</summary>
    [JsonStringEnumMemberName("execSeen")]
    ExecSeen = 0,

    /// <summary>It predates us; exe and argv were read from <c>/proc</c> at start-up.</summary>
    [JsonStringEnumMemberName("procSnapshot")]
    ProcSnapshot = 1,

    /// <summary>Only its PID is known, because a child named it as parent.</summary>
    [JsonStringEnumMemberName("inferred")]
    Inferred = 2,
}
