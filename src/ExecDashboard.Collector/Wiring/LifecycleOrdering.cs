using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Wiring;

/// <summary>
/// Merges the proc connector's fork/exit stream into the audit stream's order.
/// </summary>
/// <remarks>
/// The connector reports a fork the moment it happens; the audit record of an exec reaches us
/// later (kauditd queues it, the assembler waits for EOE). Applying every fork as soon as it is
/// read therefore applies a child's fork before its parent's earlier exec: the child would
/// capture the parent's previous program image (bash instead of the dash the parent became).
/// Measured on the kernel tests: most runs showed such a wrong parent. So a fork is held until
/// it matters, which is always after every exec that preceded it in time:
/// - just before an exec of that PID is attached (with any held forks of its ancestors, oldest first);
/// - when the process has exited and no exec of it came within <see cref="HoldLimit"/> (a
///   subshell that never execs), or when more than <see cref="MaxHeld"/> forks are held.
/// An exit of a process whose fork is held waits with it: its exec may still be on its way.
/// Other exits apply at once (the process table tolerates an exit that overtakes its exec).
/// </remarks>
internal sealed class LifecycleOrdering(ProcessTable table, TimeProvider timeProvider)
{
    public const int MaxHeld = 1 << 16;
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(2);

    private readonly Dictionary<int, HeldFork> _held = [];
    private readonly Queue<(int Pid, long Since)> _exited = new();
    private readonly Queue<int> _arrival = new();
    private readonly List<HeldFork> _chain = [];

    public int HeldCount => _held.Count;

    /// <summary>True when a fork of <paramref name="pid"/> by <paramref name="parentPid"/> is held (not yet applied).</summary>
    public bool HoldsFork(int pid, int parentPid) => _held.TryGetValue(pid, out var held) && held.Fork.ParentPid == parentPid;

    /// <summary>The exit of the process being attached, when it overtook its exec; applied after the exec.</summary>
    private ProcessLifecycleEvent? PendingExit { get; set; }

    public void Add(ProcessLifecycleEvent lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        if (lifecycle.Kind == ProcessLifecycleKind.Fork)
        {
            if (_held.Remove(lifecycle.Pid, out var older))
            {
                // The PID was reused while its previous holder was still held: that one is history now.
                Release(older);
            }

            _held[lifecycle.Pid] = new HeldFork(lifecycle);
            _arrival.Enqueue(lifecycle.Pid);
            ReleaseBeyondCapacity();
            return;
        }

        if (_held.TryGetValue(lifecycle.Pid, out var held) && held.Exit is null)
        {
            held.Exit = lifecycle;
            _exited.Enqueue((lifecycle.Pid, timeProvider.GetTimestamp()));
            return;
        }

        table.Apply(lifecycle);
    }

    /// <summary>Applies the held forks an exec of <paramref name="pid"/> depends on: its own and its ancestors', oldest first.</summary>
    /// <param name="startTicks">The exec'ing process's start read from /proc, when it could be read.</param>
    public void BeforeExec(int pid, long? startTicks)
    {
        ReleaseExpired();
        if (startTicks is { } live && _held.TryGetValue(pid, out var earlier) && earlier.Fork.StartTicks is { } forked && Math.Abs(forked - live) > 1)
        {
            // The held fork is of an earlier process with this PID (reused): history, not this exec's
            // fork. One tick apart is the same process (fork timestamp vs /proc, see ProcessTable).
            _held.Remove(pid);
            Release(earlier);
        }

        _chain.Clear();
        for (var current = pid; _chain.Count < 64 && _held.Remove(current, out var held); current = held.Fork.ParentPid)
        {
            _chain.Add(held);
        }

        for (var i = _chain.Count - 1; i >= 0; i--)
        {
            // The exec's own exit (if it overtook the exec) must wait until after the exec is attached.
            var keepExit = i == 0 && _chain[i].Exit is not null;
            table.Apply(_chain[i].Fork);
            if (_chain[i].Exit is { } exit && !keepExit)
            {
                table.Apply(exit);
            }
        }

        PendingExit = _chain.Count > 0 ? _chain[0].Exit : null;
    }

    /// <summary>Applies the exit of the process just attached, if it had overtaken its exec.</summary>
    public void AfterExec()
    {
        if (PendingExit is { } exit)
        {
            table.Apply(exit);
            PendingExit = null;
        }
    }

    private void Release(HeldFork held)
    {
        table.Apply(held.Fork);
        if (held.Exit is { } exit)
        {
            table.Apply(exit);
        }
    }

    /// <summary>Applies the held forks (with their exits) of processes that ended without an exec within <see cref="HoldLimit"/>.</summary>
    public void ReleaseExpired()
    {
        while (_exited.TryPeek(out var entry) && timeProvider.GetElapsedTime(entry.Since) >= HoldLimit)
        {
            _exited.Dequeue();
            if (_held.TryGetValue(entry.Pid, out var held) && held.Exit is not null)
            {
                _held.Remove(entry.Pid);
                Release(held);
            }
        }
    }

    private void ReleaseBeyondCapacity()
    {
        while (_held.Count > MaxHeld && _arrival.TryDequeue(out var pid))
        {
            if (_held.Remove(pid, out var held))
            {
                Release(held);
            }
        }

        if (_arrival.Count > 4 * MaxHeld)
        {
            // Forks released by execs leave their PIDs behind in the arrival queue; start it over.
            _arrival.Clear();
            foreach (var pid in _held.Keys)
            {
                _arrival.Enqueue(pid);
            }
        }
    }

    private sealed class HeldFork(ProcessLifecycleEvent fork)
    {
        public ProcessLifecycleEvent Fork { get; } = fork;

        public ProcessLifecycleEvent? Exit { get; set; }
    }
}
