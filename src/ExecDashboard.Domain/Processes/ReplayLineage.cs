using ExecDashboard.Domain.Events;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// Lineage for a recorded audit log, whether the collector replays it or the dashboard imports
/// it: only what the log says, with keys named after the log (no boot of this machine), and a
/// process table whose size is bounded whatever the log's length.
/// </summary>
/// <remarks>
/// Audit logs of execs have no exits, so without a bound the table would keep every process of
/// the log (385 MB for 300,000 execs in the collector; most of the dashboard's peak during an
/// import). A reused PID already replaces its old process; beyond that the table keeps the
/// <c>maxProcesses</c> processes seen most recently, where an exec "sees" its own process and
/// every ancestor of its chain, so a parent that keeps having children, however deep, stays. A
/// process none of the last <c>maxProcesses</c> execs ran in or descended from is the one least
/// likely to become a parent again: it is ended (at the time it was last seen) and, like any
/// ended process, still found by late children while the table's exited retention keeps it.
/// </remarks>
public sealed class ReplayLineage
{
    /// <summary>
    /// The bound both the collector's replay and the dashboard's import use by default, so a log
    /// gets the same lineage either way. A parent stays while any of its descendants execs; a
    /// larger bound only keeps quiet processes longer, each copied through the young heap
    /// generations first (a dashboard importing 300,000 execs peaked 40 MB higher at 65,536).
    /// </summary>
    public const int DefaultMaxProcesses = 16_384;

    private readonly ProcessTable _table;
    private readonly RecentProcesses _recent;

    public ReplayLineage(string logName, int maxProcesses)
    {
        _recent = new RecentProcesses(maxProcesses);
        _table = new ProcessTable(BootClock.ForReplay(logName), options: null, ended: null, expectedLive: maxProcesses);
    }

    /// <summary>Processes the table holds, live or ended: bounded whatever the log's size.</summary>
    public int TableSize => _table.LiveCount + _table.ExitedCount;

    /// <summary>Processes ended to keep the bound.</summary>
    public long Forgotten { get; private set; }

    public ExecEvent Attach(ExecObservation observation)
    {
        ArgumentNullException.ThrowIfNull(observation);
        var execEvent = _table.Attach(observation, startTicks: null);

        // Root first, so the exec'ing process is the newest and its ancestors just behind it.
        var ancestry = execEvent.Ancestry;
        for (var i = ancestry.Count - 1; i >= 0; i--)
        {
            See(ancestry[i].Key, observation.Time);
        }

        See(execEvent.Process, observation.Time);
        return execEvent;
    }

    private void See(ProcessKey key, DateTimeOffset time)
    {
        if (!_recent.See(key.Pid, key.StartTicks, time, out var left))
        {
            return;
        }

        // Ended when last seen: a new process under its PID soon after is then a new process
        // (not the same one whose exit overtook its exec, see ProcessTableOptions.ReorderWindow).
        if (_table.EndIfLive(left.Pid, left.Start, left.LastSeen))
        {
            Forgotten++;
        }
    }
}
