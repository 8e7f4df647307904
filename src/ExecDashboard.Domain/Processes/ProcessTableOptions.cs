namespace ExecDashboard.Domain.Processes;

/// <summary>Limits of the lineage engine. Defaults keep memory bounded under an exec storm.</summary>
public sealed record ProcessTableOptions
{
    /// <summary>Ended processes kept so late execs of their children still find them.</summary>
    public int MaxExited { get; init; } = 16_384;

    /// <summary>How long an ended process is kept, in event time.</summary>
    public TimeSpan ExitedRetention { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Longest ancestry emitted; deeper chains (or loops in bad data) are cut here.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>
    /// How far the proc connector and the audit stream may disagree in order: an exec arriving
    /// after its process's exit event (both sources are separate sockets) within this window
    /// still belongs to that process.
    /// </summary>
    public TimeSpan ReorderWindow { get; init; } = TimeSpan.FromSeconds(2);

    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(MaxExited);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxDepth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(ExitedRetention, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReorderWindow, TimeSpan.Zero);
    }
}
