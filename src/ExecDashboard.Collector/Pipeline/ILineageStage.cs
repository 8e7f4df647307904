using ExecDashboard.Domain.Events;

namespace ExecDashboard.Collector.Pipeline;

/// <summary>Attaches process identity and ancestry to each exec; owns the process table.</summary>
internal interface ILineageStage : IAsyncDisposable
{
    /// <summary>
    /// Called on the pipeline thread for each exec in arrival order. A live stage first applies the
    /// fork/exit events that arrived before it, and reads the process start time from /proc.
    /// </summary>
    ExecEvent Attach(ExecObservation observation);
}
