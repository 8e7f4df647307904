namespace ExecDashboard.Web.Components.Model;

/// <summary>
/// At most one redraw per interval for a view whose redraw is costly (charts, graphs), on top of
/// the store's own throttle: a change that comes while a redraw waits is folded into that redraw.
/// Used from the renderer's thread only, so it needs no lock.
/// </summary>
public sealed class RedrawThrottle(TimeProvider time, TimeSpan interval)
{
    private long _last;
    private bool _waiting;

    public TimeSpan Interval => interval;

    /// <summary>Waits for this view's turn; false when a redraw is already waiting (it will cover this change).</summary>
    public async Task<bool> WaitTurnAsync()
    {
        if (_waiting)
        {
            return false;
        }

        var wait = interval - time.GetElapsedTime(_last);
        if (_last != 0 && wait > TimeSpan.Zero)
        {
            _waiting = true;
            try
            {
                await Task.Delay(wait, time);
            }
            finally
            {
                _waiting = false;
            }
        }

        _last = time.GetTimestamp();
        return true;
    }
}
