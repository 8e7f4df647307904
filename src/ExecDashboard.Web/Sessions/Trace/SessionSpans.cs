using ExecDashboard.Domain.Timelines;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions.Trace;

/// <summary>Reads a stored session into process spans: its execs (streamed from SQLite) and the ends of its processes.</summary>
internal static class SessionSpans
{
    public static async Task<IReadOnlyList<ProcessSpan>> ReadAsync(ExecStore store, long sessionId, CancellationToken cancellationToken)
    {
        var builder = new ProcessSpanBuilder();
        await foreach (var exec in store.StreamSessionEventsAsync(sessionId, cancellationToken))
        {
            builder.Add(exec.Event);
        }

        foreach (var end in (await store.GetSessionEndsAsync(sessionId)).Values)
        {
            builder.Add(end);
        }

        return builder.Build();
    }
}
