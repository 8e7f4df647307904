namespace ExecDashboard.Domain.Processes;

public enum ProcessLifecycleKind
{
    /// <summary>A new process (thread-group leader) was created by <see cref="ProcessLifecycleEvent.ParentPid"/>.</summary>
    Fork,

    /// <summary>The process ended.</summary>
    Exit,
}

/// <summary>
/// A process being created or ending, as reported by the kernel's proc connector (or by
/// fork/exit syscall records of a log replay). Lets the lineage engine know lifetimes exactly
/// instead of guessing PID reuse.
/// </summary>
public sealed record ProcessLifecycleEvent
{
    public required ProcessLifecycleKind Kind { get; init; }

    /// <summary>The child (fork) or the process that ended (exit).</summary>
    public required int Pid { get; init; }

    /// <summary>The forking process for <see cref="ProcessLifecycleKind.Fork"/>; 0 otherwise.</summary>
    public int ParentPid { get; init; }

    /// <summary>
    /// The child's start in <c>/proc/PID/stat</c> ticks, when the source could measure it: read
    /// from /proc, or from the kernel's fork event timestamp (then possibly one tick later).
    /// </summary>
    public long? StartTicks { get; init; }

    /// <summary>How it ended, for <see cref="ProcessLifecycleKind.Exit"/> when the source says.</summary>
    public ExitStatus? Status { get; init; }

    /// <summary>When it happened, on the same clock as <see cref="Events.ExecObservation.Time"/>.</summary>
    public required DateTimeOffset Time { get; init; }

    public static ProcessLifecycleEvent Fork(int parentPid, int childPid, DateTimeOffset time, long? startTicks = null) =>
        new() { Kind = ProcessLifecycleKind.Fork, ParentPid = parentPid, Pid = childPid, Time = time, StartTicks = startTicks };

    public static ProcessLifecycleEvent Exit(int pid, DateTimeOffset time, ExitStatus? status = null) =>
        new() { Kind = ProcessLifecycleKind.Exit, Pid = pid, Time = time, Status = status };
}
