using ExecDashboard.Web.Diagnostics;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;

namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// The one lifecycle of a page that shows the viewed session: after the first render it subscribes
/// to the store's (throttled) change notices and to changes of the viewed session; on each it pulls
/// what it shows (<see cref="PullAsync"/>) on the renderer's thread and redraws; on dispose it
/// unsubscribes. A page whose redraw is costly sets <see cref="RedrawInterval"/> to redraw at most
/// that often (a change that comes meanwhile is folded into the next redraw).
/// </summary>
/// <remarks>
/// Subscribing after the first render, not in OnInitialized, keeps prerendering (which has no
/// circuit to push to) from subscribing a component that is thrown away.
/// </remarks>
public abstract class SessionPageBase : ComponentBase, IDisposable
{
    private IDisposable? _subscription;
    private RedrawThrottle? _throttle;
    private bool _disposed;

    [Inject]
    public required ExecStore Store { get; init; }

    [Inject]
    public required ViewedSession Viewed { get; init; }

    [Inject]
    public required TimeProvider Time { get; init; }

    /// <summary>At most one pull per interval on store changes; zero: on every (already throttled) notice.</summary>
    protected virtual TimeSpan RedrawInterval => TimeSpan.Zero;

    /// <summary>Reads what the page shows from the store or analytics; runs on the renderer's thread.</summary>
    protected abstract Task PullAsync();

    /// <summary>Whether a store change concerns this page now (a stored session does not change, for example).</summary>
    protected virtual bool FollowsStoreChanges => true;

    /// <summary>The viewed session changed: by default pull again.</summary>
    protected virtual Task OnViewedSessionChangedAsync() => PullAsync();

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender)
        {
            return;
        }

        Viewed.Changed += OnViewedChanged;
        if (RedrawInterval > TimeSpan.Zero)
        {
            _throttle = new RedrawThrottle(Time, RedrawInterval);
        }

        // Notices come from the thread pool: re-enter the renderer with InvokeAsync.
        _subscription = Store.Subscribe(() => InvokeAsync(OnStoreChangedAsync));
    }

    private async Task OnStoreChangedAsync()
    {
        if (_disposed || !FollowsStoreChanges || (_throttle is not null && !await _throttle.WaitTurnAsync()) || _disposed)
        {
            return;
        }

        // From the page's turn on: a page that redraws at most once per RedrawInterval chose that wait.
        var turn = Time.GetTimestamp();

        await PullAsync();

        // On the renderer's thread StateHasChanged renders at once; the diff then goes to the browser.
        StateHasChanged();
        LatencyInstruments.Render.Record(Time.GetElapsedTime(turn).TotalMilliseconds);
    }

    private void OnViewedChanged() => _ = InvokeAsync(async () =>
    {
        if (_disposed)
        {
            return;
        }

        await OnViewedSessionChangedAsync();
        StateHasChanged();
    });

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }

        _disposed = true;
        Viewed.Changed -= OnViewedChanged;
        _subscription?.Dispose();
    }
}
