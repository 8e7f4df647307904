using ExecDashboard.Collector.Pipeline;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Wiring;

/// <summary>
/// Lineage for a log replay: only what the log says (see <see cref="ReplayLineage"/>). No /proc
/// snapshot and no start times from this machine, whose processes have nothing to do with the log's.
/// </summary>
internal sealed class ReplayLineageStage(string logName, int maxProcesses) : ILineageStage
{
    private readonly ReplayLineage _lineage = new(logName, maxProcesses);

    /// <summary>Processes the table holds, live or ended: bounded whatever the log's size.</summary>
    internal int TableSize => _lineage.TableSize;

    /// <summary>Processes ended to keep the bound.</summary>
    internal long Forgotten => _lineage.Forgotten;

    public ExecEvent Attach(ExecObservation observation) => _lineage.Attach(observation);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
