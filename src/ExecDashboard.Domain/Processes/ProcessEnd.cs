namespace ExecDashboard.Domain.Processes;

/// <summary>A process we reported (its exec, or it as an ancestor or a /proc snapshot entry) ended.</summary>
public sealed record ProcessEnd
{
    public required ProcessKey Process { get; init; }

    public int Pid => Process.Pid;

    /// <summary>When it started (its key's start on the same clock as <see cref="Time"/>; tick precision).</summary>
    public required DateTimeOffset Started { get; init; }

    /// <summary>When the kernel reported its end.</summary>
    public required DateTimeOffset Time { get; init; }

    public required ExitStatus Status { get; init; }

    /// <summary>From start to end; never negative (a derived start is an upper bound).</summary>
    public TimeSpan Duration => Time > Started ? Time - Started : TimeSpan.Zero;
}
