using ExecDashboard.Domain.Timelines;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions.Trace;

/// <summary>Reads a stored session into process spans: its execs (streamed from SQLite) and the ends of its processes.</summary>
internal static class SessionSpans
{
    /// <summary>
    /// The session's spans, or null as soon as its execs name more than <paramref name="maxProcesses"/>
    /// processes: every span is held until the last exec is read (nesting needs every child's
    /// extent), a few hundred bytes each, so the bound is what keeps a trace's memory bounded.
    /// </summary>
    public static async Task<IReadOnlyList<ProcessSpan>?> ReadAsync(ExecStore store, long sessionId, int maxProcesses, CancellationToken cancellationToken)
    {
        var builder = new ProcessSpanBuilder();
        await foreach (var exec in store.StreamSessionEventsAsync(sessionId, cancellationToken))
        {
            builder.Add(exec.Event);
            if (builder.Count > maxProcesses)
            {
                return null;
            }
        }

        foreach (var end in (await store.GetSessionEndsAsync(sessionId)).Values)
        {
            builder.Add(end);
        }

        return builder.Build();
    }
}
