using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Output;

/// <summary>Writes every event to several sinks, in order (standard output and the dashboard).</summary>
internal sealed class TeeExecEventSink(IReadOnlyList<IExecEventWriter> sinks) : IExecEventWriter, IDisposable
{
    public void Write(ExecEvent execEvent)
    {
        foreach (var sink in sinks)
        {
            sink.Write(execEvent);
        }
    }

    public void WriteEnd(ProcessEnd end)
    {
        foreach (var sink in sinks)
        {
            sink.WriteEnd(end);
        }
    }

    public void Flush()
    {
        foreach (var sink in sinks)
        {
            sink.Flush();
        }
    }

    public void Dispose()
    {
        foreach (var sink in sinks)
        {
            (sink as IDisposable)?.Dispose();
        }
    }
}
