using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>Attaches process identity and ancestry to each exec; owns the process table.</summary>
internal interface ILineageStage : IAsyncDisposable
{
    /// <summary>
    /// Called on the pipeline thread for each exec in arrival order. A live stage first applies the
    /// fork/exit events that arrived before it, and reads the process start time from /proc.
    /// </summary>
    ExecEvent Attach(ExecObservation observation);

    /// <summary>
    /// Called on the pipeline thread after each exec is written and on every idle tick: applies
    /// the fork/exit events that arrived since and hands over the processes that ended, so an end
    /// is never written before the exec it ends. A stage without process lifetimes (a log replay:
    /// audit logs have no exits) has none to hand over.
    /// </summary>
    void TakeEnds(Action<ProcessEnd> ended)
    {
    }

    /// <summary>Process ends lost before they reached the stage (exit events dropped by a full queue); read from any thread.</summary>
    long EndQueueDrops => 0;
}
