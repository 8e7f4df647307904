using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// Keeps one <see cref="ExecAnalysis"/> of the live stream current: on each (throttled) store
/// notification it pulls the events that arrived since the last pull from the hot window, oldest
/// first. Events that left the hot window before a pull are counted in <see cref="Missed"/>.
/// </summary>
public sealed class LiveExecAnalysis : IHostedService, IDisposable
{
    private const int Page = 4096;
    private readonly ExecStore _store;
    private readonly SemaphoreSlim _pulling = new(1, 1);
    private IDisposable? _subscription;
    private long _lastId;
    private long _missed;

    public LiveExecAnalysis(ExecStore store, TimeProvider time)
    {
        _store = store;
        Analysis = new ExecAnalysis(time);
    }

    public ExecAnalysis Analysis { get; }

    /// <summary>Events the hot window dropped before they could be pulled (0 unless ingest outran it).</summary>
    public long Missed => Interlocked.Read(ref _missed);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = _store.Subscribe(PullAsync);
        return PullAsync();
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Feeds every event newer than the last pull; safe to call at any time.</summary>
    public async Task PullAsync()
    {
        await _pulling.WaitAsync();
        try
        {
            var fresh = new List<StoredExec>();
            long? before = null;
            while (true)
            {
                var page = _store.GetRecentEvents(ExecFilter.None, Page, before);
                var done = false;
                foreach (var e in page)
                {
                    if (e.Id <= _lastId)
                    {
                        done = true;
                        break;
                    }

                    fresh.Add(e);
                }

                if (done || page.Count < Page)
                {
                    if (!done && _lastId > 0 && fresh.Count > 0 && fresh[^1].Id > _lastId + 1)
                    {
                        // The oldest event pulled is not the one after the last: the window moved past some.
                        Interlocked.Add(ref _missed, fresh[^1].Id - _lastId - 1);
                    }

                    break;
                }

                before = page[^1].Id;
            }

            if (fresh.Count == 0)
            {
                return;
            }

            fresh.Reverse();
            _lastId = fresh[^1].Id;
            Analysis.Record(fresh.ConvertAll(static e => e.Event));
        }
        finally
        {
            _pulling.Release();
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _pulling.Dispose();
    }
}
