using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping;

namespace ExecDashboard.Collector.Output;

/// <summary>
/// Hands events and process ends from the pipeline thread to the dashboard shipper, which batches, spools and
/// sends them on its own threads. A write waiting for room ends with
/// <see cref="OperationCanceledException"/> when <paramref name="abandoned"/> fires (a replay that
/// gave up on the dashboard).
/// </summary>
internal sealed class DashboardExecEventSink(DashboardShipper shipper, CancellationToken abandoned) : IExecEventWriter
{
    public void Write(ExecEvent execEvent) => Wait(shipper.WriteAsync(execEvent, abandoned));

    public void WriteEnd(ProcessEnd end) => Wait(shipper.WriteEndAsync(end, abandoned));

    private static void Wait(ValueTask accepted)
    {
        if (!accepted.IsCompletedSuccessfully)
        {
            // The shipper's bounded queue is full: hold the pipeline thread (back-pressure reaches
            // the kernel backlog, which makes exec-ing tasks wait) rather than drop events.
            accepted.AsTask().GetAwaiter().GetResult();
        }
    }

    public void Flush()
    {
        // The shipper cuts batches by size and time itself.
    }
}
