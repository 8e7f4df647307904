namespace ExecDashboard.Audit.Assembly;

/// <summary>Limits of the event assembler; defaults suit both netlink and log files.</summary>
public sealed class EventAssemblerOptions
{
    /// <summary>
    /// An event is complete once records of this much later stream time (record timestamps) have
    /// arrived. Log files often lack EOE; this is what ends such events in order.
    /// </summary>
    public TimeSpan StreamTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Records that must follow an event's last record before stream time alone may complete it.
    /// Stream time can jump: on an idle machine the next event comes seconds later, and a log may
    /// still carry a straggler of the previous event right after it (go-libaudit's out_of_order.log).
    /// </summary>
    public int StreamTimeoutGraceRecords { get; set; } = 32;

    /// <summary>A live event is complete this long after its first record arrived, even if nothing else comes.</summary>
    public TimeSpan WallClockTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most events held open at once; beyond it the oldest is completed.</summary>
    public int MaxInFlightEvents { get; set; } = 4096;

    /// <summary>
    /// Serials this far behind the highest seen still count as out-of-order arrivals, not losses.
    /// A missing serial is counted lost once the window has moved past it.
    /// </summary>
    public int SerialWindow { get; set; } = 1024;

    /// <summary>Completed events remembered so their stragglers (a late EOE) are recognised, not reopened.</summary>
    public int RecentlyCompletedMemory { get; set; } = 256;

    /// <summary>Throws with one clear sentence when a value makes no sense.</summary>
    public void Validate()
    {
        if (StreamTimeout <= TimeSpan.Zero || WallClockTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Audit event timeouts must be positive durations such as 00:00:02.");
        }

        if (StreamTimeoutGraceRecords < 0)
        {
            throw new ArgumentException("StreamTimeoutGraceRecords must not be negative.");
        }

        if (MaxInFlightEvents < 1)
        {
            throw new ArgumentException("MaxInFlightEvents must be at least 1.");
        }

        if (SerialWindow is < 1 or > 1 << 20)
        {
            throw new ArgumentException("SerialWindow must be between 1 and 1048576 serials.");
        }

        if (RecentlyCompletedMemory < 0)
        {
            throw new ArgumentException("RecentlyCompletedMemory must not be negative.");
        }
    }
}
