using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// Programs as the unit of analysis: every parent process is a run of its
/// <see cref="ProgramSignature"/>, and per program this keeps its runs with their children in start
/// order (the growth signal), a per-second ring of its children's execs (its rate over any range of
/// the last hour), the chains its runs were started from and what they spawn.
/// </summary>
/// <remarks>
/// A program is known from the parent's entry in each child's ancestry; parents whose exe is unknown
/// (inferred from a ppid only) cannot be grouped and are skipped. Once a program is known, its own
/// later execs register runs too, so a run that spawns nothing counts as 0.
/// Bounded: the least recently active program is evicted beyond <see cref="ProgramTrackerOptions.MaxPrograms"/>;
/// each program keeps its newest <see cref="ProgramTrackerOptions.MaxRunsPerProgram"/> runs and only
/// counts the older ones (their number and children keep run numbers and total work true).
/// Thread-safety: one lock; <see cref="Record"/> from the ingest thread, queries from any thread
/// return copies. Windows end at the later of the clock's now and the newest exec seen, so a
/// replayed recording needs a clock stopped at its end.
/// </remarks>
public sealed partial class ProgramTracker
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly ProgramTrackerOptions _options;
    private readonly int[] _ringWindows;
    private readonly Dictionary<ProgramSignature, LinkedListNode<ProgramEntry>> _programs = [];
    private readonly LinkedList<ProgramEntry> _recency = new();
    private readonly Dictionary<ProcessKey, Run> _runs = [];

    // Programs tracked per exe, so most execs (an exe that is no tracked parent) skip building a signature.
    private readonly Dictionary<string, int> _parentExes = new(StringComparer.Ordinal);
    private long _newestSecond = long.MinValue;
    private long _oldestSecond = long.MaxValue;

    public ProgramTracker(TimeProvider time, ProgramTrackerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _options = options ?? new ProgramTrackerOptions();
        _options.Validate();
        _ringWindows = [(int)ProgramTrackerOptions.StormWindow.TotalSeconds];
    }

    public ProgramTrackerOptions Options => _options;

    /// <summary>From the first to the last exec recorded, or null before any.</summary>
    public TimeRange? Recorded
    {
        get
        {
            lock (_gate)
            {
                return _newestSecond == long.MinValue
                    ? null
                    : new TimeRange(DateTimeOffset.FromUnixTimeSeconds(_oldestSecond), DateTimeOffset.FromUnixTimeSeconds(_newestSecond));
            }
        }
    }

    /// <summary>The second windows end at: the later of now and the newest exec recorded.</summary>
    public DateTimeOffset Now
    {
        get
        {
            lock (_gate)
            {
                return DateTimeOffset.FromUnixTimeSeconds(NowSecondLocked());
            }
        }
    }

    public void Record(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        lock (_gate)
        {
            var last = default(LastExec);
            RecordLocked(exec, ref last);
        }
    }

    /// <summary>
    /// Records the execs in order, as <see cref="Record(ExecEvent)"/> one by one would, under one
    /// lock, and without looking up again what the exec before found: a storm's children name one
    /// parent and one exe after another.
    /// </summary>
    public void Record(IReadOnlyList<ExecEvent> execs)
    {
        ArgumentNullException.ThrowIfNull(execs);
        lock (_gate)
        {
            var last = default(LastExec);
            for (var i = 0; i < execs.Count; i++)
            {
                RecordLocked(execs[i], ref last);
            }
        }
    }

    private void RecordLocked(ExecEvent exec, ref LastExec last)
    {
        ArgumentNullException.ThrowIfNull(exec);
        var time = exec.Exec.Time;
        var second = time.ToUnixTimeSeconds();
        _newestSecond = Math.Max(_newestSecond, second);
        _oldestSecond = Math.Min(_oldestSecond, second);

        // The exec as a child: one more exec for its parent's run. The signature (a string built
        // per call) is only computed for a parent not seen before.
        Run? run;
        if (last.Run is not null && exec.Parent == last.Parent)
        {
            run = last.Run;
        }
        else if (!_runs.TryGetValue(exec.Parent, out run)
            && exec.Ancestry.Count > 0 && exec.Ancestry[0].Key == exec.Parent && exec.Ancestry[0].Exe.Length > 0)
        {
            var parent = exec.Ancestry[0];
            run = RunOf(exec.Parent, parent.Exe, parent.Argv, exec.Ancestry, 1, time, create: true);

            // Programs and runs may have been added or evicted: nothing found before holds any more.
            last = default;
        }

        last = last with { Parent = exec.Parent, Run = run };
        run?.Program.CountChild(run, exec.Exec.Exe, second, time, _options.MaxChildExesPerProgram);

        // The exec as a new run of a known program, which may never spawn anything.
        if (!exec.Exec.Success)
        {
            return;
        }

        if (!ReferenceEquals(exec.Exec.Exe, last.Exe))
        {
            last = last with { Exe = exec.Exec.Exe, ExeRunsPrograms = _parentExes.ContainsKey(exec.Exec.Exe) };
        }

        if (last.ExeRunsPrograms && !_runs.ContainsKey(exec.Process)
            && RunOf(exec.Process, exec.Exec.Exe, exec.Exec.Argv, exec.Ancestry, 0, time, create: false) is not null)
        {
            // A run was added, and with it runs or programs may have been evicted: nothing found
            // before holds any more.
            last = default;
        }
    }

    /// <summary>
    /// An independent copy of everything the tracker holds, recency and runs included: from here
    /// on it answers as a tracker that had recorded the same execs would.
    /// </summary>
    public ProgramTracker Clone()
    {
        var copy = new ProgramTracker(_time, _options);
        lock (_gate)
        {
            foreach (var program in _recency)
            {
                var entry = program.Clone();
                copy._programs.Add(entry.Signature, copy._recency.AddLast(entry));
                foreach (var run in entry.Runs)
                {
                    copy._runs.Add(run.Key, run);
                }
            }

            foreach (var (exe, programs) in _parentExes)
            {
                copy._parentExes.Add(exe, programs);
            }

            copy._newestSecond = _newestSecond;
            copy._oldestSecond = _oldestSecond;
        }

        return copy;
    }

    /// <summary>The <paramref name="top"/> programs whose runs exec'd the most within <paramref name="range"/>, most first.</summary>
    public IReadOnlyList<ProgramRate> TopPrograms(TimeRange range, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        lock (_gate)
        {
            var now = NowSecondLocked();
            var best = new PriorityQueue<ProgramEntry, (long Execs, long Children)>(top + 1);
            foreach (var program in _recency)
            {
                program.Ring.AdvanceTo(now);
                var execs = program.Ring.SumRange(range.FromSecond, range.ToSecond);
                if (execs == 0)
                {
                    continue;
                }

                best.Enqueue(program, (execs, program.Children));
                if (best.Count > top)
                {
                    best.Dequeue();
                }
            }

            var result = new ProgramRate[best.Count];
            for (var i = result.Length - 1; i >= 0; i--)
            {
                best.TryDequeue(out var program, out var priority);
                result[i] = program!.ToRate(range, priority.Execs, _options);
            }

            return result;
        }
    }

    /// <summary>One program over <paramref name="range"/>, or null when it is not tracked.</summary>
    public ProgramRate? RateOf(ProgramSignature program, TimeRange range)
    {
        lock (_gate)
        {
            if (!_programs.TryGetValue(program, out var node))
            {
                return null;
            }

            node.Value.Ring.AdvanceTo(NowSecondLocked());
            return node.Value.ToRate(range, node.Value.Ring.SumRange(range.FromSecond, range.ToSecond), _options);
        }
    }

    /// <summary>Execs of the program's runs per <paramref name="bucket"/> over <paramref name="range"/>, zeros included; empty when unknown.</summary>
    public IReadOnlyList<RatePoint> SeriesOf(ProgramSignature program, TimeRange range, TimeSpan bucket)
    {
        var bucketSeconds = Math.Max(1, (long)bucket.TotalSeconds);
        lock (_gate)
        {
            if (!_programs.TryGetValue(program, out var node))
            {
                return [];
            }

            var ring = node.Value.Ring;
            ring.AdvanceTo(NowSecondLocked());
            var points = new List<RatePoint>();
            for (var start = range.FromSecond; start <= range.ToSecond; start += bucketSeconds)
            {
                var end = Math.Min(range.ToSecond, start + bucketSeconds - 1);
                points.Add(new RatePoint(DateTimeOffset.FromUnixTimeSeconds(start), ring.SumRange(start, end)));
            }

            return points;
        }
    }

    /// <summary>The runs of the program <paramref name="parent"/> ran, or null when unknown.</summary>
    public InvocationSeries? SeriesOf(ProcessKey parent)
    {
        lock (_gate)
        {
            return _runs.TryGetValue(parent, out var run) ? run.Program.ToSeries() : null;
        }
    }

    public InvocationSeries? SeriesOf(ProgramSignature program)
    {
        lock (_gate)
        {
            return _programs.TryGetValue(program, out var node) ? node.Value.ToSeries() : null;
        }
    }

    /// <summary>
    /// The program <paramref name="parent"/> runs and its runs' execs over the <paramref name="window"/>
    /// ending now; (null, 0) when the parent is not tracked. O(1) for the storm window; allocates nothing.
    /// </summary>
    public (ProgramSignature? Program, long Execs) CountOf(ProcessKey parent, TimeSpan window)
    {
        var seconds = (int)window.TotalSeconds;
        var index = Array.IndexOf(_ringWindows, seconds);
        lock (_gate)
        {
            if (!_runs.TryGetValue(parent, out var run))
            {
                return (null, 0);
            }

            var ring = run.Program.Ring;
            ring.AdvanceTo(NowSecondLocked());
            return (run.Program.Signature, ring.CountOver(index, seconds));
        }
    }

    /// <summary>The program a parent process runs, or null when it is not tracked.</summary>
    public ProgramSignature? ProgramOf(ProcessKey parent)
    {
        lock (_gate)
        {
            return _runs.TryGetValue(parent, out var run) ? run.Program.Signature : null;
        }
    }

    /// <summary>Every tracked program whose children per run grow, steepest first.</summary>
    public IReadOnlyList<InvocationSeries> Growing()
    {
        lock (_gate)
        {
            return [.. _recency
                .Select(p => p.ToSeries())
                .Where(s => s.Growth.Verdict == GrowthVerdict.Growing)
                .OrderByDescending(s => s.Growth.Exponent)];
        }
    }

    /// <summary>
    /// What the previous exec of a batch found: its parent's run (null: none found, so asked
    /// again) and whether its exe is one of a tracked program. Holds while no run or program is
    /// added or evicted, which only <see cref="RunOf"/> does; each call of it that may have
    /// changed them starts this over.
    /// </summary>
    private readonly record struct LastExec(ProcessKey Parent, Run? Run, string? Exe, bool ExeRunsPrograms);

    private long NowSecondLocked() => Math.Max(_time.GetUtcNow().ToUnixTimeSeconds(), _newestSecond);

    private Run? RunOf(ProcessKey key, string exe, IReadOnlyList<string> argv, IReadOnlyList<Ancestor> ancestry, int ancestorsAbove, DateTimeOffset seen, bool create)
    {
        if (_runs.TryGetValue(key, out var known))
        {
            return known;
        }

        var signature = ProgramSignature.Of(exe, argv);
        if (!_programs.TryGetValue(signature, out var node))
        {
            if (!create)
            {
                return null;
            }

            if (_programs.Count >= _options.MaxPrograms)
            {
                Evict(_recency.Last!);
            }

            node = _recency.AddFirst(new ProgramEntry(signature, ProgramSignature.LabelOf(exe, argv), new SecondRing(_options.HorizonSeconds, _ringWindows)));
            _programs.Add(signature, node);
            _parentExes[signature.Exe] = _parentExes.GetValueOrDefault(signature.Exe) + 1;
        }
        else if (node != _recency.First)
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }

        var program = node.Value;
        if (program.Runs.Count >= _options.MaxRunsPerProgram)
        {
            _runs.Remove(program.DropOldest().Key);
        }

        var run = new Run(key, program, seen);
        program.Add(run, ChainOf(ancestry, ancestorsAbove, program.Label), _options.MaxChainsPerProgram);
        _runs.Add(key, run);
        return run;
    }

    private void Evict(LinkedListNode<ProgramEntry> oldest)
    {
        _recency.Remove(oldest);
        _programs.Remove(oldest.Value.Signature);
        var exe = oldest.Value.Signature.Exe;
        if (_parentExes[exe] == 1)
        {
            _parentExes.Remove(exe);
        }
        else
        {
            _parentExes[exe]--;
        }

        foreach (var gone in oldest.Value.Runs)
        {
            _runs.Remove(gone.Key);
        }
    }

    /// <summary>
    /// <c>sudo → bash /usr/sbin/sendmail -t</c>: the known programs above the run, farthest first,
    /// at most <see cref="ProgramTrackerOptions.ChainDepth"/> of them; an unknown link ends the chain.
    /// </summary>
    private string ChainOf(IReadOnlyList<Ancestor> ancestry, int from, string label)
    {
        var names = new List<string>(_options.ChainDepth + 1);
        for (var i = from; i < ancestry.Count && names.Count < _options.ChainDepth && ancestry[i].Exe.Length > 0; i++)
        {
            names.Add(Path.GetFileName(ancestry[i].Exe));
        }

        names.Reverse();
        names.Add(label);
        return string.Join(" → ", names);
    }
}
