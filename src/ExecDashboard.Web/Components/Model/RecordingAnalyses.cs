using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Where a page gets the analytics of what it shows: the store's live analytics, or a replay of a
/// stored session, computed once (a finished recording does not change; the last few are kept).
/// </summary>
public sealed class RecordingAnalyses(ExecStore store, IOptions<DashboardOptions> options)
{
    private const int Kept = 4;
    private readonly Lock _lock = new();
    private readonly List<(long SessionId, Task<IExecAnalytics> Analytics)> _cache = [];

    public async Task<IExecAnalytics> ForAsync(long? sessionId, CancellationToken cancellationToken = default)
    {
        if (sessionId is not { } id || id == store.ActiveSession?.Id)
        {
            return store.Analytics;
        }

        Task<IExecAnalytics> task;
        lock (_lock)
        {
            var index = _cache.FindIndex(c => c.SessionId == id);
            if (index >= 0)
            {
                task = _cache[index].Analytics;
            }
            else
            {
                task = ReplayAsync(id);
                _cache.Add((id, task));
                if (_cache.Count > Kept)
                {
                    _cache.RemoveAt(0);
                }
            }
        }

        return await task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets a session's analytics (it was deleted).</summary>
    public void Forget(long sessionId)
    {
        lock (_lock)
        {
            _cache.RemoveAll(c => c.SessionId == sessionId);
        }
    }

    private async Task<IExecAnalytics> ReplayAsync(long sessionId)
    {
        var session = await store.GetSessionAsync(sessionId);
        var end = session?.Ended ?? session?.Started ?? DateTimeOffset.UnixEpoch;
        return await RecordingAnalytics.ReplayAsync(
            store.StreamSessionEventsAsync(sessionId, CancellationToken.None).Select(e => e.Event), end, options.Value);
    }
}
