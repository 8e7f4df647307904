using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>Whether a process is known to run, known to have ended (and how), or neither.</summary>
public enum LifetimeState
{
    /// <summary>Its end cannot be known: the source reports no exits (an audit log, a collector without the proc connector).</summary>
    Unknown,

    /// <summary>Its source reports exits and none came for it.</summary>
    Running,

    Ended,
}

/// <summary>A process's end as the store knows it.</summary>
public sealed record ProcessLifetime
{
    public static readonly ProcessLifetime Unknown = new() { State = LifetimeState.Unknown };

    public static readonly ProcessLifetime Running = new() { State = LifetimeState.Running };

    public required LifetimeState State { get; init; }

    /// <summary>Set when <see cref="State"/> is <see cref="LifetimeState.Ended"/>.</summary>
    public ProcessEnd? End { get; init; }

    public static ProcessLifetime Ended(ProcessEnd end) => new() { State = LifetimeState.Ended, End = end };

    /// <summary>Ended with a non-zero code or by a signal.</summary>
    public bool Failed => End is { Status.Failed: true };
}
