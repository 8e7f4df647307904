namespace ExecDashboard.Domain.Processes;

/// <summary>
/// Turns times into the start-tick unit of <see cref="ProcessKey.StartTicks"/> and names the
/// boot (or log) keys belong to.
/// </summary>
/// <remarks>
/// The kernel counts a process's start in clock ticks (<c>USER_HZ</c>, 100 on every mainstream
/// architecture) since boot: field 22 of <c>/proc/PID/stat</c>, see proc(5). When that field cannot
/// be read, a start is derived from a wall-clock time and <see cref="BootTime"/> (<c>btime</c> of
/// <c>/proc/stat</c>), so derived and measured values share one scale. For log replays
/// <see cref="BootTime"/> is the Unix epoch and <see cref="Boot"/> names the log or node.
/// </remarks>
public sealed record BootClock(string Boot, DateTimeOffset BootTime, int TicksPerSecond = 100)
{
    /// <summary>A clock for replaying a log: keys count ticks since the Unix epoch.</summary>
    public static BootClock ForReplay(string logName) => new(logName, DateTimeOffset.UnixEpoch);

    /// <summary>The tick in which <paramref name="time"/> falls, counted from <see cref="BootTime"/>.</summary>
    public long ToTicks(DateTimeOffset time) =>
        (time - BootTime).Ticks / (TimeSpan.TicksPerSecond / TicksPerSecond);

    public DateTimeOffset ToTime(long ticks) =>
        BootTime + TimeSpan.FromTicks(ticks * (TimeSpan.TicksPerSecond / TicksPerSecond));

    public ProcessKey Key(int pid, long startTicks) => new(Boot, pid, startTicks);
}
