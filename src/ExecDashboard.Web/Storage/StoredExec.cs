using ExecDashboard.Domain.Events;

namespace ExecDashboard.Web.Storage;

/// <summary>An exec event as stored: its row id (ascending in arrival order) and session.</summary>
public sealed record StoredExec(long Id, long SessionId, ExecEvent Event);
