using ExecDashboard.Shipping;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>
/// How long a replay has waited for the dashboard's next acknowledgement, and whether that is
/// longer than it waits (<see cref="Limit"/>): what both the watch while reading and the wait
/// at the end of a replay ask.
/// </summary>
internal sealed class AcknowledgementPatience(TimeProvider time)
{
    /// <summary>How long a replay waits for the dashboard's next acknowledgement before giving up.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private long _acknowledged = -1;
    private long _since = time.GetTimestamp();

    /// <summary>
    /// True when nothing was acknowledged for <see cref="Limit"/> while <paramref name="waiting"/>
    /// held all along; an acknowledgement, or a moment with nothing to wait for, starts it over.
    /// </summary>
    public bool RunsOut(ShippingStatus status, bool waiting)
    {
        if (status.EventsAcknowledged != _acknowledged || !waiting)
        {
            _acknowledged = status.EventsAcknowledged;
            _since = time.GetTimestamp();
            return false;
        }

        return time.GetElapsedTime(_since) >= Limit;
    }
}
