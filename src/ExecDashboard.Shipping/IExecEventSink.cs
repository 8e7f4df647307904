using ExecDashboard.Domain.Events;

namespace ExecDashboard.Shipping;

/// <summary>Where a collector hands every exec event it emits, and its latest loss counters.</summary>
public interface IExecEventSink
{
    /// <summary>
    /// Takes one event. Waits only when the sink's bounded queue is full (back-pressure); it never
    /// waits for the network.
    /// </summary>
    ValueTask WriteAsync(ExecEvent execEvent, CancellationToken cancellationToken = default);

    /// <summary>The source's cumulative loss counters, sent with the next batch.</summary>
    void ReportLoss(LossReport report);
}
