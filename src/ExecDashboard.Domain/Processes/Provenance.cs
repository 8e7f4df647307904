namespace ExecDashboard.Domain.Processes;

/// <summary>How we know what we know about a process, strongest first.</summary>
public enum Provenance
{
    /// <summary>We received the exec that started its current program image.</summary>
    ExecSeen = 0,

    /// <summary>It predates us; exe and argv were read from <c>/proc</c> at start-up.</summary>
    ProcSnapshot = 1,

    /// <summary>Only its PID is known, because a child named it as parent.</summary>
    Inferred = 2,
}
