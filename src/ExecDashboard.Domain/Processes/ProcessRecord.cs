namespace ExecDashboard.Domain.Processes;

/// <summary>What the lineage engine knows about one process (one key), live or recently ended.</summary>
internal sealed class ProcessRecord(ProcessKey key, int ppid, bool startMeasured, ProcessImage image)
{
    public ProcessKey Key { get; } = key;

    public int Pid => Key.Pid;

    /// <summary>The PID that started this process; -1 while unknown (an inferred process).</summary>
    public int ParentPid { get; set; } = ppid;

    /// <summary>True when <see cref="ProcessKey.StartTicks"/> came from the kernel, false when derived from an event time.</summary>
    public bool StartMeasured { get; } = startMeasured;

    /// <summary>The image it runs now.</summary>
    public ProcessImage Image { get; set; } = image;

    /// <summary>The process that started it; <see cref="ProcessKey.None"/> until linked.</summary>
    public ProcessKey ParentKey { get; set; } = ProcessKey.None;

    /// <summary>
    /// The image the parent ran when this process was started: an ancestor is shown as the program
    /// that actually forked its descendant, even if it exec'd something else afterwards.
    /// </summary>
    public ProcessImage? ParentImage { get; set; }

    /// <summary>Set when the process ended (connector exit, or replaced by a new process with its PID).</summary>
    public DateTimeOffset? ExitedAt { get; set; }

    /// <summary>
    /// Shown to someone: its exec was attached, it came from the /proc snapshot, or a child named
    /// it. Only such processes have their end reported (a fork that never execs and has no
    /// children is nobody's business).
    /// </summary>
    public bool Announced { get; set; }

    /// <summary>Its end was handed to the table's listener (reported once, even if an exec turns up late).</summary>
    public bool EndReported { get; set; }

    /// <summary>How it ended, when the kernel said.</summary>
    public ExitStatus? ExitStatus { get; set; }

    /// <summary>Some process names this one as its parent.</summary>
    public bool HasChildren { get; set; }

    /// <summary>Cached ancestry; valid while <see cref="ChainGeneration"/> matches the table's.</summary>
    public Ancestor[]? Chain { get; set; }

    public long ChainGeneration { get; set; } = -1;

    /// <summary>
    /// The chain last given to a child: [this process as an ancestor] + <see cref="ChildChainRest"/>,
    /// shared by its siblings while both parts are the same.
    /// </summary>
    public Ancestor[]? ChildChain { get; set; }

    /// <summary>This process's own chain when <see cref="ChildChain"/> was made from it.</summary>
    public Ancestor[]? ChildChainRest { get; set; }

    /// <summary>This process as an ancestor, for <see cref="ViewImage"/>; shared by its children's chains.</summary>
    public Ancestor? View { get; set; }

    public ProcessImage? ViewImage { get; set; }
}
