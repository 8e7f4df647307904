using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Events;

/// <summary>An exec with its lineage: what every sink and view consumes.</summary>
public sealed record ExecEvent
{
    public required ExecObservation Exec { get; init; }

    /// <summary>The process that exec'd.</summary>
    public required ProcessKey Process { get; init; }

    /// <summary>Its parent at the time of the exec.</summary>
    public required ProcessKey Parent { get; init; }

    /// <summary>Chain from the parent up to PID 1, nearest first. Empty for PID 1 itself.</summary>
    public required IReadOnlyList<Ancestor> Ancestry { get; init; }
}
