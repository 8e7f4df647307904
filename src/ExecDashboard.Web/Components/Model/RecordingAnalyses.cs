using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Where a page gets the analytics of what it shows: the store's live analytics, or a replay of a
/// stored session, computed once (a finished recording does not change; the last few are kept);
/// of every host, or of one.
/// </summary>
public sealed class RecordingAnalyses(ExecStore store, IOptions<DashboardOptions> options)
{
    private const int Kept = 4;
    private readonly Lock _lock = new();
    private readonly List<(long SessionId, string? Host, Task<IExecAnalytics> Analytics)> _cache = [];

    public async Task<IExecAnalytics> ForAsync(long? sessionId, string? host = null, CancellationToken cancellationToken = default)
    {
        if (sessionId is not { } id || id == store.ActiveSession?.Id)
        {
            return host is not null && store.Analytics is FleetExecAnalytics fleet ? fleet.ForHost(host) : store.Analytics;
        }

        Task<IExecAnalytics> task;
        lock (_lock)
        {
            var index = _cache.FindIndex(c => c.SessionId == id && string.Equals(c.Host, host, StringComparison.Ordinal));
            if (index >= 0)
            {
                task = _cache[index].Analytics;
            }
            else
            {
                task = ReplayAsync(id, host);
                _cache.Add((id, host, task));
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

    private async Task<IExecAnalytics> ReplayAsync(long sessionId, string? host)
    {
        var session = await store.GetSessionAsync(sessionId);
        var end = session?.Ended ?? session?.Started ?? DateTimeOffset.UnixEpoch;
        return await RecordingAnalytics.ReplayAsync(
            store.StreamSessionEventsAsync(sessionId, CancellationToken.None)
                .Where(e => host is null || string.Equals(e.Event.Exec.Host, host, StringComparison.Ordinal))
                .Select(e => e.Event),
            end,
            options.Value);
    }
}
