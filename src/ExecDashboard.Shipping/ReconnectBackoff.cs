namespace ExecDashboard.Shipping;

/// <summary>
/// Exponential backoff with "equal jitter" (half fixed, half random), so collectors that lost
/// the same dashboard do not all come back in the same millisecond.
/// </summary>
internal sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max)
{
    private int _attempt;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_attempt++, 20);
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
#pragma warning disable CA5394 // Jitter, not security.
        var jittered = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(jittered);
    }

    public void Reset() => _attempt = 0;
}
