namespace ExecDashboard.Domain.Processes;

/// <summary>One process as read from <c>/proc</c> when the collector started.</summary>
public sealed record ProcessSnapshotEntry
{
    public required int Pid { get; init; }

    /// <summary>0 for PID 1 and for kernel threads started by the kernel itself.</summary>
    public required int Ppid { get; init; }

    /// <summary>Field 22 of <c>/proc/PID/stat</c>: clock ticks since boot.</summary>
    public required long StartTicks { get; init; }

    /// <summary>The kernel's 15-character task name.</summary>
    public required string Comm { get; init; }

    /// <summary>Target of <c>/proc/PID/exe</c>; null when unreadable (kernel thread, permission, gone).</summary>
    public string? Exe { get; init; }

    /// <summary>Arguments from <c>/proc/PID/cmdline</c>; empty for kernel threads and zombies.</summary>
    public required IReadOnlyList<string> Argv { get; init; }

    public string? Cwd { get; init; }

    public uint? Uid { get; init; }
}
