using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// Lineage for a raw log being imported: a replay process table (keys name the log, not a boot)
/// that keeps at most <c>maxProcesses</c> processes believed alive, so its memory is bounded
/// whatever the log holds.
/// </summary>
/// <remarks>
/// A log tells of execs, not of exits, so a plain replay table keeps every process it ever saw:
/// most of the dashboard's peak during an import (measured on a 300,000-exec raw log: peak
/// resident set 305 MB with every process kept, 222 to 242 MB with 65,536). Past the limit the least recently active process (the second-chance
/// "clock" approximation of least recently used: active means it exec'd or a child named it as
/// parent) is treated as ended. An ended process still parents late children for as long as the
/// table keeps ended ones (<see cref="ProcessTableOptions.MaxExited"/>,
/// <see cref="ProcessTableOptions.ExitedRetention"/>); only a parent idle for longer than that
/// comes back as inferred, under a new key.
/// </remarks>
internal sealed class ReplayLineage(string name, int maxProcesses)
{
    private readonly ProcessTable _table = new(BootClock.ForReplay(name));

    // Every tracked PID once, in the order the clock hand visits them; the value says whether
    // the process was active since the hand last passed it.
    private readonly Dictionary<int, bool> _active = [];
    private readonly Queue<int> _clock = new();

    public ExecEvent Attach(ExecObservation exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        Touch(exec.Pid);
        if (exec.Ppid > 0)
        {
            Touch(exec.Ppid);
        }

        var attached = _table.Attach(exec, startTicks: null);
        while (_active.Count > maxProcesses)
        {
            var pid = _clock.Dequeue();
            if (_active[pid])
            {
                _active[pid] = false;
                _clock.Enqueue(pid);
            }
            else
            {
                _active.Remove(pid);
                _table.Apply(ProcessLifecycleEvent.Exit(pid, exec.Time));
            }
        }

        return attached;
    }

    private void Touch(int pid)
    {
        if (_active.TryAdd(pid, false))
        {
            _clock.Enqueue(pid);
        }
        else
        {
            _active[pid] = true;
        }
    }
}
