using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Sessions;

/// <summary>One validated part of a session document, in document order, as <see cref="SessionReader"/> yields it.</summary>
public abstract record SessionItem;

/// <summary>Always the first item.</summary>
public sealed record SessionHeaderItem(SessionHeader Header) : SessionItem;

public sealed record SessionEventItem(long Index, ExecEvent Event) : SessionItem;

public sealed record SessionProcessItem(long Index, SessionProcess Process) : SessionItem;

public sealed record SessionGapItem(long Index, SessionGap Gap) : SessionItem;

/// <summary>A process of the session ended (format version 2 on; version 1 files carry none).</summary>
public sealed record SessionExitItem(long Index, ProcessEnd End) : SessionItem;

/// <summary>The whole document in memory: what <see cref="SessionReader.ReadAllAsync"/> returns.</summary>
public sealed record SessionDocument(
    SessionHeader Header,
    IReadOnlyList<ExecEvent> Events,
    IReadOnlyList<SessionProcess> Processes,
    IReadOnlyList<SessionGap> Gaps,
    IReadOnlyList<ProcessEnd> Exits);
