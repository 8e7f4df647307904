using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Output;

/// <summary>Where exec events and process ends go. Called on the pipeline thread only.</summary>
internal interface IExecEventWriter
{
    void Write(ExecEvent execEvent);

    /// <summary>A process ended (written after its exec, when that was written).</summary>
    void WriteEnd(ProcessEnd end);

    /// <summary>Pushes what was written so far (end of a batch); stdout may be a pipe read by another program.</summary>
    void Flush();
}
