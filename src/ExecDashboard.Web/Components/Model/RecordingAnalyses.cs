using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Where a page gets the analysis of what it shows: the live one, or one computed once per stored
/// session (a finished recording does not change; the last few are kept).
/// </summary>
public sealed class RecordingAnalyses(LiveExecAnalysis live, ExecStore store)
{
    private const int Kept = 4;
    private readonly Lock _lock = new();
    private readonly List<(long SessionId, Task<ExecAnalysis> Analysis)> _cache = [];

    public async Task<ExecAnalysis> ForAsync(long? sessionId, CancellationToken cancellationToken = default)
    {
        if (sessionId is not { } id || id == store.ActiveSession?.Id)
        {
            return live.Analysis;
        }

        Task<ExecAnalysis> task;
        lock (_lock)
        {
            var index = _cache.FindIndex(c => c.SessionId == id);
            if (index >= 0)
            {
                task = _cache[index].Analysis;
            }
            else
            {
                task = BuildAsync(id);
                _cache.Add((id, task));
                if (_cache.Count > Kept)
                {
                    _cache.RemoveAt(0);
                }
            }
        }

        return await task.WaitAsync(cancellationToken);
    }

    private async Task<ExecAnalysis> BuildAsync(long sessionId)
    {
        var session = await store.GetSessionAsync(sessionId);
        var end = session?.Ended ?? session?.Started ?? DateTimeOffset.UnixEpoch;
        return await ExecAnalysis.OfRecordingAsync(
            store.StreamSessionEventsAsync(sessionId, CancellationToken.None).Select(e => e.Event), end);
    }

    /// <summary>Forgets a session's analysis (it was deleted).</summary>
    public void Forget(long sessionId)
    {
        lock (_lock)
        {
            _cache.RemoveAll(c => c.SessionId == sessionId);
        }
    }
}
