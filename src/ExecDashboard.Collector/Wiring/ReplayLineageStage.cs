using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Wiring;

/// <summary>
/// Lineage for a log replay: only what the log says. No /proc snapshot and no start times from
/// this machine, whose processes have nothing to do with the log's; keys are named after the log.
/// </summary>
internal sealed class ReplayLineageStage(string logName) : ILineageStage
{
    private readonly ProcessTable _table = new(BootClock.ForReplay(logName));

    public ExecEvent Attach(ExecObservation observation) => _table.Attach(observation, startTicks: null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
