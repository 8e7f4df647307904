using System.Runtime.InteropServices;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// The lineage engine: knows every process it has heard of (from the <c>/proc</c> snapshot,
/// lifecycle events and execs), gives each a <see cref="ProcessKey"/> that survives PID reuse,
/// and attaches the chain to PID 1 to each exec.
/// </summary>
/// <remarks>
/// Not thread-safe by design: one pipeline thread owns it, applies lifecycle events and attaches
/// execs in order, so no lock sits on the hot path. Memory is bounded: live processes are bounded
/// by the PID space (a reused PID replaces its old entry), ended ones by
/// <see cref="ProcessTableOptions.MaxExited"/> and <see cref="ProcessTableOptions.ExitedRetention"/>.
/// Time is event time (never the wall clock), so replays of old logs behave like live runs.
/// </remarks>
public sealed class ProcessTable
{
    /// <summary>Most entries a map is sized for up front; beyond that it grows as it fills.</summary>
    private const int MaxPresized = 1 << 22;

    private readonly BootClock _clock;
    private readonly ProcessTableOptions _options;
    private readonly Action<ProcessEnd>? _ended;
    private readonly Dictionary<int, ProcessRecord> _live;
    private readonly Dictionary<int, ProcessRecord> _lastExitedByPid = [];
    private readonly Dictionary<ProcessKey, ProcessRecord> _retained;
    private readonly Queue<ExitedProcess> _exited;
    private DateTimeOffset _now = DateTimeOffset.MinValue;

    // Bumped whenever an existing parent link changes, which invalidates every cached ancestry.
    // Rare (a late fork naming another parent, an inferred parent learning its image), so the
    // common path reuses the parent's cached chain (and the array its children share).
    private long _generation;

    /// <param name="ended">
    /// Told, on the owning thread, when an announced process ends with a status the source
    /// reported (the proc connector's exit); processes replaced by PID reuse end unreported.
    /// </param>
    public ProcessTable(BootClock clock, ProcessTableOptions? options = null, Action<ProcessEnd>? ended = null)
        : this(clock, options, ended, expectedLive: 0)
    {
    }

    /// <param name="expectedLive">
    /// Live processes the caller expects to reach (a replay's bound): the maps are sized for them and
    /// the ended processes kept besides, once, instead of growing step by step. Each step copied the
    /// map into a new array of megabytes (the large-object heap), and those arrays were a tenth of
    /// what a 300,000-exec replay allocated.
    /// </param>
    internal ProcessTable(BootClock clock, ProcessTableOptions? options, Action<ProcessEnd>? ended, int expectedLive)
    {
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _ended = ended;
        _options = options ?? new ProcessTableOptions();
        _options.Validate();
        var live = Math.Clamp(expectedLive, 0, MaxPresized);
        _live = new Dictionary<int, ProcessRecord>(live);
        _exited = new Queue<ExitedProcess>(live > 0 ? (int)Math.Min((long)_options.MaxExited + 1, MaxPresized) : 0);
        _retained = new Dictionary<ProcessKey, ProcessRecord>(live > 0 ? (int)Math.Min((long)live + _options.MaxExited, MaxPresized) : 0, SequentialKeyComparer.Instance);
    }

    public BootClock Clock => _clock;

    /// <summary>Processes believed alive.</summary>
    public int LiveCount => _live.Count;

    /// <summary>Ended processes still kept for late descendants.</summary>
    public int ExitedCount => _exited.Count;

    /// <summary>PIDs found reused: a new process was given a new key.</summary>
    public long PidReuses { get; private set; }

    /// <summary>Fork events older than the process already known under that PID; ignored.</summary>
    public long StaleForks { get; private set; }

    /// <summary>Live start ticks given to <see cref="Attach"/> that were later than the exec itself; ignored.</summary>
    public long StaleStartReads { get; private set; }

    /// <summary>Parent chains that looped back on themselves (bad data); cut at the loop.</summary>
    public long CyclesCut { get; private set; }

    /// <summary>Ended processes forgotten to bound memory.</summary>
    public long Evicted { get; private set; }

    /// <summary>True when a live process is known under <paramref name="pid"/>.</summary>
    public bool IsKnown(int pid) => _live.ContainsKey(pid);

    /// <summary>The key of the live process with this PID, if any.</summary>
    public bool TryGetLiveKey(int pid, out ProcessKey key)
    {
        var found = _live.TryGetValue(pid, out var record);
        key = found ? record!.Key : ProcessKey.None;
        return found;
    }

    /// <summary>
    /// True when the live process under <paramref name="pid"/> has a measured start and
    /// <paramref name="ppid"/> as its parent: an exec with that PID and ppid is this process, so
    /// reading its start from /proc again would tell nothing new.
    /// </summary>
    public bool KnowsMeasuredStart(int pid, int ppid) =>
        _live.TryGetValue(pid, out var record) && record.StartMeasured && record.ParentPid == ppid;

    /// <summary>Adds processes that predate us, from a <c>/proc</c> snapshot.</summary>
    public void Seed(IEnumerable<ProcessSnapshotEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            Seed(entry);
        }
    }

    /// <summary>
    /// Adds one process read from <c>/proc</c>. Its parent is linked lazily, when first needed,
    /// so snapshot entries may come in any order.
    /// </summary>
    public void Seed(ProcessSnapshotEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = _clock.Key(entry.Pid, entry.StartTicks);
        if (_live.TryGetValue(entry.Pid, out var existing))
        {
            if (existing.Key == key)
            {
                return;
            }

            Retire(existing, _now);
        }

        // Kernel threads have no exe link and an empty cmdline; ps shows them as [comm], so do we.
        var exe = entry.Exe ?? (entry.Argv.Count > 0 ? entry.Argv[0] : $"[{entry.Comm}]");
        var record = new ProcessRecord(key, entry.Ppid, startMeasured: true, new ProcessImage(exe, entry.Argv, Provenance.ProcSnapshot)) { Announced = true };
        Insert(record);
    }

    /// <summary>Applies a fork or exit reported by the proc connector.</summary>
    public void Apply(ProcessLifecycleEvent lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        Advance(lifecycle.Time);
        switch (lifecycle.Kind)
        {
            case ProcessLifecycleKind.Fork:
                OnFork(lifecycle.ParentPid, lifecycle.Pid, lifecycle.StartTicks, lifecycle.Time);
                break;
            case ProcessLifecycleKind.Exit:
                if (_live.TryGetValue(lifecycle.Pid, out var record))
                {
                    record.ExitStatus = lifecycle.Status;
                    Retire(record, lifecycle.Time);
                    ReportEnd(record);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(lifecycle), lifecycle.Kind, "Unknown lifecycle kind.");
        }
    }

    /// <summary>
    /// Ends the live process under <paramref name="pid"/> at <paramref name="time"/> when it is the one
    /// started at <paramref name="startTicks"/>, as an exit without a status does in <see cref="Apply"/>:
    /// for a replay that ends a process on every exec, without an event object or a second lookup.
    /// </summary>
    internal bool EndIfLive(int pid, long startTicks, DateTimeOffset time)
    {
        // Removed first, as Retire would, so the PID is looked up once; put back if it is another process.
        if (!_live.Remove(pid, out var record))
        {
            return false;
        }

        if (record.Key.StartTicks != startTicks)
        {
            _live.Add(pid, record);
            return false;
        }

        Advance(time);
        record.ExitStatus = null;
        RetireUnlisted(record, time);
        ReportEnd(record);
        return true;
    }

    /// <summary>
    /// Attaches lineage to an exec. <paramref name="startTicks"/> is the live process's start
    /// (field 22 of <c>/proc/PID/stat</c>) if the caller could read it when the exec arrived,
    /// else null (the process had already ended: common for short programs such as <c>expr</c>).
    /// </summary>
    public ExecEvent Attach(ExecObservation exec, long? startTicks)
    {
        ArgumentNullException.ThrowIfNull(exec);
        Advance(exec.Time);
        if (startTicks > _clock.ToTicks(exec.Time) + _clock.TicksPerSecond)
        {
            // Started after its own exec: the PID was reused between the exec and the caller's
            // read of /proc/PID/stat, so that start belongs to another process.
            StaleStartReads++;
            startTicks = null;
        }

        var record = ResolveProcess(exec, startTicks);
        record.Announced = true;
        if (exec.Success)
        {
            var learnedFirstImage = record.Image.Provenance == Provenance.Inferred;
            record.Image = new ProcessImage(exec.Exe, exec.Argv, Provenance.ExecSeen);
            if (learnedFirstImage && record.HasChildren)
            {
                // Children linked while this process was unknown show its image from now on.
                _generation++;
            }
        }

        var ancestry = AncestryOf(record);

        // Its exit overtook this exec (see ResolveProcess) before anyone knew of it: report it now.
        ReportEnd(record);
        return new ExecEvent
        {
            Exec = exec,
            Process = record.Key,
            Parent = ancestry.Length > 0 ? ancestry[0].Key : ProcessKey.None,
            Ancestry = ancestry,
        };
    }

    private void OnFork(int parentPid, int childPid, long? measuredStart, DateTimeOffset time)
    {
        var start = measuredStart ?? _clock.ToTicks(time);
        if (_live.TryGetValue(childPid, out var existing))
        {
            if (SameStart(existing, start, measuredStart.HasValue))
            {
                // The fork arrived after the child's exec (connector and audit are separate
                // sockets): keep the key, correct the parent link if the exec guessed another.
                if (existing.ParentKey.IsNone || existing.ParentKey.Pid != parentPid)
                {
                    LinkParent(existing, FindOrInferParent(parentPid, existing.Key.StartTicks, time));
                    _generation++;
                }

                return;
            }

            if (start < existing.Key.StartTicks)
            {
                StaleForks++;
                return;
            }

            PidReuses++;
            Retire(existing, time);
        }

        var parent = FindOrInferParent(parentPid, start, time);
        ref var slot = ref ClaimUniqueKey(childPid, start, out var key);
        var record = new ProcessRecord(key, parentPid, measuredStart.HasValue, parent.Image);
        slot = record;
        LinkParent(record, parent);
        _live[childPid] = record;
    }

    private ProcessRecord ResolveProcess(ExecObservation exec, long? startTicks)
    {
        if (_live.TryGetValue(exec.Pid, out var record))
        {
            if (IsSameProcess(record, exec, startTicks))
            {
                if (record.ParentPid < 0)
                {
                    // An inferred process now tells us its parent: chains through it grow.
                    record.ParentPid = exec.Ppid;
                    _generation++;
                }

                return record;
            }

            PidReuses++;
            Retire(record, exec.Time);
        }
        else if (startTicks is null
            && _lastExitedByPid.TryGetValue(exec.Pid, out var ended)
            && ended.ExitedAt >= exec.Time - _options.ReorderWindow)
        {
            // Its exit event overtook its exec record; a PID is not reused within the window.
            return ended;
        }

        var start = startTicks ?? _clock.ToTicks(exec.Time);
        var parent = exec.Ppid > 0 ? FindOrInferParent(exec.Ppid, start, exec.Time) : null;
        ref var slot = ref ClaimUniqueKey(exec.Pid, start, out var key);
        var created = new ProcessRecord(key, exec.Ppid, startTicks.HasValue, parent?.Image ?? ProcessImage.Unknown);
        slot = created;
        if (parent is not null)
        {
            LinkParent(created, parent);
        }

        _live[exec.Pid] = created;
        return created;
    }

    private bool IsSameProcess(ProcessRecord record, ExecObservation exec, long? startTicks)
    {
        if (startTicks is { } measured)
        {
            return SameStart(record, measured, isMeasured: true);
        }

        if (record.ParentPid < 0 || record.ParentPid == exec.Ppid)
        {
            return true;
        }

        // The ppid changed. The same process changes ppid only when its parent ended and it was
        // reparented: to init, or to a subreaper we cannot tell from a reused PID.
        return exec.Ppid == 1 || !IsAlive(record.ParentKey);
    }

    /// <summary>
    /// Whether a start belongs to the process already known. A derived start (an exec's time) is
    /// an upper bound of the true start, so a later start means a newer process. A derived start
    /// compared with a measured one is allowed a second of slack: <c>btime</c> has whole seconds.
    /// </summary>
    private bool SameStart(ProcessRecord record, long start, bool isMeasured)
    {
        if (record.StartMeasured)
        {
            // Two measured starts may come from two clocks: /proc/PID/stat, and the proc
            // connector's fork timestamp taken microseconds later, which can fall in the next
            // tick. A PID cannot be reused within one tick (the kernel allocates PIDs
            // cyclically), so one tick of difference is the same process.
            return isMeasured ? Math.Abs(record.Key.StartTicks - start) <= 1 : start <= record.Key.StartTicks + _clock.TicksPerSecond;
        }

        return start <= record.Key.StartTicks + 1;
    }

    private void ReportEnd(ProcessRecord record)
    {
        if (_ended is null || record.EndReported || !(record.Announced || record.HasChildren)
            || record.ExitedAt is not { } time || record.ExitStatus is not { } status)
        {
            return;
        }

        record.EndReported = true;
        _ended(new ProcessEnd { Process = record.Key, Started = _clock.ToTime(record.Key.StartTicks), Time = time, Status = status });
    }

    private bool IsAlive(ProcessKey key) =>
        !key.IsNone && _live.TryGetValue(key.Pid, out var live) && live.Key == key;

    private ProcessRecord FindOrInferParent(int pid, long childStart, DateTimeOffset time)
    {
        if (_live.TryGetValue(pid, out var parent))
        {
            return parent;
        }

        // A parent that already ended (its children outlive it; late execs name it).
        if (_lastExitedByPid.TryGetValue(pid, out var ended) && ended.Key.StartTicks <= childStart)
        {
            return ended;
        }

        // Known only because a child named it. Its start is unknown; the child's start is an
        // upper bound and keeps the key stable for all its later children.
        ref var slot = ref ClaimUniqueKey(pid, Math.Min(childStart, _clock.ToTicks(time)), out var key);
        var inferred = new ProcessRecord(key, ppid: -1, startMeasured: false, ProcessImage.Unknown) { Announced = true };
        slot = inferred;
        _live[pid] = inferred;
        return inferred;
    }

    private static void LinkParent(ProcessRecord child, ProcessRecord parent)
    {
        parent.HasChildren = true;
        child.ParentKey = parent.Key;
        child.ParentImage = parent.Image;
    }

    /// <summary>
    /// The chain from the parent up, nearest first. Chains are cached per process and built on
    /// the parent's cached chain, so an exec storm under one parent shares one array however deep
    /// the tree; a fresh path is walked once and every process on it is cached.
    /// </summary>
    private Ancestor[] AncestryOf(ProcessRecord record)
    {
        if (IsCached(record))
        {
            return record.Chain!;
        }

        // The storm case: the parent's chain is cached, so this exec costs at most one array.
        var first = ParentAncestorOf(record, out var knownParent);
        if (first is null)
        {
            Cache(record, []);
            return record.Chain!;
        }

        if (knownParent is not null && IsCached(knownParent))
        {
            var chain = ChildChainOf(knownParent, record.Key, first);
            Cache(record, chain);
            return chain;
        }

        // Walk up until a process with a valid chain, the end of what we know, or a loop.
        var path = new List<ProcessRecord> { record };
        var links = new List<Ancestor>();
        Ancestor[] tail = [];
        while (path.Count <= _options.MaxDepth)
        {
            var current = path[^1];
            var link = ParentAncestorOf(current, out var parent);
            if (link is null)
            {
                break;
            }

            links.Add(link);
            if (parent is null)
            {
                break; // Forgotten (evicted): the child still names it, the chain ends there.
            }

            if (IsCached(parent))
            {
                tail = parent.Chain!;
                break;
            }

            if (path.Contains(parent))
            {
                break; // A loop in bad data; Prepend cuts it (and counts it) below.
            }

            path.Add(parent);
        }

        var below = links.Count == path.Count ? Prepend(path[^1].Key, links[^1], tail) : [];
        Cache(path[^1], below);
        for (var i = path.Count - 2; i >= 0; i--)
        {
            below = Prepend(path[i].Key, links[i], below);
            Cache(path[i], below);
        }

        return below;
    }

    /// <summary>
    /// [link] + <paramref name="parent"/>'s cached chain, as <see cref="Prepend"/> makes it for
    /// <paramref name="self"/>. Siblings started under one image get the same chain, so they share
    /// one array: it depends on the child only where the child's key is in it (a loop, cut and
    /// counted by <see cref="Prepend"/>), and a chain <see cref="Prepend"/> cut is never shared.
    /// </summary>
    /// <remarks>
    /// In a replay nearly every exec is a new child of one parent, and its chain lived as long as the
    /// process (each process caches its own): an array per exec, kept through 32,768 execs into the
    /// older heap generations. Chains are read-only once made, as cached ones already were.
    /// </remarks>
    private Ancestor[] ChildChainOf(ProcessRecord parent, ProcessKey self, Ancestor link)
    {
        var rest = parent.Chain!;
        if (parent.ChildChain is { } shared && ReferenceEquals(shared[0], link) && ReferenceEquals(parent.ChildChainRest, rest)
            && !Names(shared, self))
        {
            return shared;
        }

        var cuts = CyclesCut;
        var chain = Prepend(self, link, rest);
        if (CyclesCut == cuts)
        {
            parent.ChildChain = chain;
            parent.ChildChainRest = rest;
        }

        return chain;
    }

    private static bool Names(Ancestor[] chain, ProcessKey key)
    {
        foreach (var ancestor in chain)
        {
            if (ancestor.Key == key)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsCached(ProcessRecord record) => record.Chain is not null && record.ChainGeneration == _generation;

    private void Cache(ProcessRecord record, Ancestor[] chain)
    {
        record.Chain = chain;
        record.ChainGeneration = _generation;
    }

    /// <summary>[link] + rest, cut at the depth limit and before any loop back to self or link.</summary>
    private Ancestor[] Prepend(ProcessKey self, Ancestor link, Ancestor[] rest)
    {
        if (link.Key == self)
        {
            CyclesCut++;
            return [];
        }

        var keep = Math.Min(rest.Length, _options.MaxDepth - 1);
        for (var i = 0; i < keep; i++)
        {
            if (rest[i].Key == self || rest[i].Key == link.Key)
            {
                CyclesCut++;
                keep = i;
                break;
            }
        }

        var chain = new Ancestor[keep + 1];
        chain[0] = link;
        Array.Copy(rest, 0, chain, 1, keep);
        return chain;
    }

    /// <summary>The link to <paramref name="child"/>'s parent, and the parent's record while the table retains it.</summary>
    private Ancestor? ParentAncestorOf(ProcessRecord child, out ProcessRecord? parent)
    {
        parent = null;
        if (child.ParentKey.IsNone)
        {
            if (child.ParentPid <= 0)
            {
                return null;
            }

            // Snapshot entries link lazily; a parent must have started no later than its child.
            if (!_live.TryGetValue(child.ParentPid, out var found) || found.Key.StartTicks > child.Key.StartTicks)
            {
                found = FindOrInferParent(child.ParentPid, child.Key.StartTicks, _now);
            }

            LinkParent(child, found);
        }

        var image = child.ParentImage ?? ProcessImage.Unknown;
        _retained.TryGetValue(child.ParentKey, out parent);
        if (image.Provenance == Provenance.Inferred && parent is not null)
        {
            // Unknown when the child was started, learned since: better than nothing.
            image = parent.Image;
        }

        // Siblings share one Ancestor per (parent, image): a storm allocates none here.
        if (parent?.View is { } view && ReferenceEquals(parent.ViewImage, image))
        {
            return view;
        }

        var ancestor = new Ancestor
        {
            Key = child.ParentKey,
            Pid = child.ParentKey.Pid,
            Exe = image.Exe,
            Argv = image.Argv,
            Provenance = image.Provenance,
        };
        if (parent is not null)
        {
            parent.View = ancestor;
            parent.ViewImage = image;
        }

        return ancestor;
    }

    /// <summary>
    /// Finds a key no record has yet and adds it to <see cref="_retained"/>, returning the slot the
    /// new record must be stored in before the table is touched again: one lookup per new
    /// process instead of a look and then an insertion (a replay creates a process per exec).
    /// </summary>
    private ref ProcessRecord? ClaimUniqueKey(int pid, long start, out ProcessKey key)
    {
        // Two processes with one PID in one 10 ms tick cannot happen in the kernel, but derived
        // starts are estimates; never let two records share a key.
        key = _clock.Key(pid, start);
        while (true)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_retained, key, out var taken);
            if (!taken)
            {
                return ref slot;
            }

            key = key with { StartTicks = key.StartTicks + 1 };
        }
    }

    private void Insert(ProcessRecord record)
    {
        _live[record.Pid] = record;
        _retained[record.Key] = record;
    }

    private void Retire(ProcessRecord record, DateTimeOffset time)
    {
        if (record.ExitedAt is not null)
        {
            return;
        }

        // Callers retire the live record, so removing first is one lookup; a different record is put back.
        if (_live.Remove(record.Pid, out var live) && !ReferenceEquals(live, record))
        {
            _live.Add(record.Pid, live);
        }

        RetireUnlisted(record, time);
    }

    /// <summary>
    /// <see cref="Retire"/> for a record already taken out of the live map, which holds no ended
    /// record (a record leaves it when it ends).
    /// </summary>
    private void RetireUnlisted(ProcessRecord record, DateTimeOffset time)
    {
        record.ExitedAt = time;
        _lastExitedByPid[record.Pid] = record;
        _exited.Enqueue(new ExitedProcess(record, record.Key, time.UtcTicks));
        Evict();
    }

    private void Advance(DateTimeOffset time)
    {
        if (time > _now)
        {
            _now = time;
            Evict();
        }
    }

    private void Evict()
    {
        var horizon = (_now - _options.ExitedRetention).UtcTicks;
        while (_exited.TryPeek(out var oldest) && (_exited.Count > _options.MaxExited || oldest.ExitedAtUtcTicks < horizon))
        {
            _exited.Dequeue();
            Evicted++;

            // One lookup per map, not a look then a removal: in a replay every exec ends a process
            // and evicts one, and these maps are too large to stay in cache (measured: eviction was
            // a fifth of the lineage's CPU in a profile of a 300,000-exec replay). What was removed
            // goes back in the rare case it is a newer record under the same key or PID.
            var key = oldest.Key;
            if (_retained.Remove(key, out var retained) && !ReferenceEquals(retained, oldest.Record))
            {
                _retained.Add(key, retained);
            }

            if (_lastExitedByPid.Remove(key.Pid, out var last) && !ReferenceEquals(last, oldest.Record))
            {
                _lastExitedByPid.Add(key.Pid, last);
            }
        }
    }

    /// <summary>
    /// An ended process in the order it ended, with what eviction reads: its key and end time beside
    /// the reference, so evicting never reads the record itself. In a replay that record ended tens of
    /// thousands of execs ago and is out of the cache; reading it was half of Evict's own time (perf).
    /// </summary>
    private readonly record struct ExitedProcess(ProcessRecord Record, ProcessKey Key, long ExitedAtUtcTicks);
}
