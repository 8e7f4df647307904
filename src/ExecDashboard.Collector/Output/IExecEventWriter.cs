using ExecDashboard.Domain.Events;

namespace ExecDashboard.Collector.Output;

/// <summary>Where exec events go. Called on the pipeline thread only.</summary>
internal interface IExecEventWriter
{
    void Write(ExecEvent execEvent);

    /// <summary>Pushes what was written so far (end of a batch); stdout may be a pipe read by another program.</summary>
    void Flush();
}
