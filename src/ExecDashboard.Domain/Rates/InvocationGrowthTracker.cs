using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>
/// Children per invocation: for each parent <see cref="ProgramSignature"/>, how many execs each of its
/// processes made, so a program doing more work on every run (a queue re-scanned from the start,
/// <c>expr</c> per item) shows as a rising series. Bounded: the least recently active program is
/// evicted beyond <see cref="MaxPrograms"/>, and each program keeps its newest
/// <see cref="MaxInvocationsPerProgram"/> invocations.
/// </summary>
/// <remarks>
/// A program is known from the parent's entry in each child's ancestry; parents whose exe is unknown
/// (inferred from a ppid only) cannot be grouped and are skipped. Once a program is known, its own
/// later execs register invocations too, so a run that spawns nothing counts as 0. Thread-safety:
/// one lock; <see cref="Record"/> from the ingest thread, queries from any thread return copies.
/// </remarks>
public sealed class InvocationGrowthTracker(int maxPrograms = 256, int maxInvocationsPerProgram = 256)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<ProgramSignature, LinkedListNode<ProgramEntry>> _programs = [];
    private readonly LinkedList<ProgramEntry> _recency = new();
    private readonly Dictionary<ProcessKey, Invocation> _invocations = [];

    // Programs tracked per exe, so most execs (an exe that is no tracked parent) skip building a signature.
    private readonly Dictionary<string, int> _parentExes = new(StringComparer.Ordinal);

    public int MaxPrograms { get; } = maxPrograms > 0 ? maxPrograms : throw new ArgumentOutOfRangeException(nameof(maxPrograms));

    public int MaxInvocationsPerProgram { get; } = maxInvocationsPerProgram > 1 ? maxInvocationsPerProgram : throw new ArgumentOutOfRangeException(nameof(maxInvocationsPerProgram));

    public void Record(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        lock (_gate)
        {
            // The exec as a child: one more exec for its parent's invocation. The signature (a string
            // built per call) is only computed for a parent not seen before.
            if (_invocations.TryGetValue(exec.Parent, out var invocation))
            {
                invocation.ChildExecs++;
            }
            else if (exec.Ancestry.Count > 0 && exec.Ancestry[0].Key == exec.Parent && exec.Ancestry[0].Exe.Length > 0)
            {
                var parent = exec.Ancestry[0];
                InvocationOf(exec.Parent, ProgramSignature.Of(parent.Exe, parent.Argv), exec.Exec.Time, create: true)!.ChildExecs++;
            }

            // The exec as a new run of a known parent program, which may never spawn anything.
            if (exec.Exec.Success && _parentExes.ContainsKey(exec.Exec.Exe) && !_invocations.ContainsKey(exec.Process))
            {
                InvocationOf(exec.Process, ProgramSignature.Of(exec.Exec.Exe, exec.Exec.Argv), exec.Exec.Time, create: false);
            }
        }
    }

    /// <summary>The series of the program <paramref name="parent"/> ran, or null when unknown.</summary>
    public InvocationSeries? SeriesOf(ProcessKey parent)
    {
        lock (_gate)
        {
            return _invocations.TryGetValue(parent, out var invocation) ? invocation.Program.ToSeries() : null;
        }
    }

    public InvocationSeries? SeriesOf(ProgramSignature program)
    {
        lock (_gate)
        {
            return _programs.TryGetValue(program, out var node) ? node.Value.ToSeries() : null;
        }
    }

    /// <summary>Every tracked program whose children per invocation grow, steepest first.</summary>
    public IReadOnlyList<InvocationSeries> Growing()
    {
        lock (_gate)
        {
            return [.. _recency
                .Select(p => p.ToSeries())
                .Where(s => s.Growth.Verdict == GrowthVerdict.Growing)
                .OrderByDescending(s => s.Growth.RelativeSlope)];
        }
    }

    private Invocation? InvocationOf(ProcessKey key, ProgramSignature signature, DateTimeOffset seen, bool create)
    {
        if (_invocations.TryGetValue(key, out var known))
        {
            return known;
        }

        if (!_programs.TryGetValue(signature, out var node))
        {
            if (!create)
            {
                return null;
            }

            if (_programs.Count >= MaxPrograms)
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _programs.Remove(oldest.Value.Signature);
                ForgetExe(oldest.Value.Signature.Exe);
                foreach (var gone in oldest.Value.Invocations)
                {
                    _invocations.Remove(gone.Key);
                }
            }

            node = _recency.AddFirst(new ProgramEntry(signature));
            _programs.Add(signature, node);
            _parentExes[signature.Exe] = _parentExes.GetValueOrDefault(signature.Exe) + 1;
        }
        else if (node != _recency.First)
        {
            _recency.Remove(node);
            _recency.AddFirst(node);
        }

        var program = node.Value;
        if (program.Invocations.Count >= MaxInvocationsPerProgram)
        {
            var oldest = program.Invocations.MinBy(i => i.Order)!;
            program.Invocations.Remove(oldest);
            _invocations.Remove(oldest.Key);
            program.Dropped++;
        }

        var invocation = new Invocation(key, program, seen);
        program.Invocations.Add(invocation);
        _invocations.Add(key, invocation);
        return invocation;
    }

    private void ForgetExe(string exe)
    {
        if (_parentExes[exe] == 1)
        {
            _parentExes.Remove(exe);
        }
        else
        {
            _parentExes[exe]--;
        }
    }

    private sealed class ProgramEntry(ProgramSignature signature)
    {
        public ProgramSignature Signature => signature;

        public List<Invocation> Invocations { get; } = [];

        public long Dropped { get; set; }

        public InvocationSeries ToSeries()
        {
            var points = Invocations
                .OrderBy(i => i.Order)
                .Select(i => new InvocationPoint(i.Key, i.FirstSeen, i.ChildExecs))
                .ToArray();
            return new InvocationSeries
            {
                Program = signature,
                Points = points,
                Growth = GrowthAssessment.Of([.. points.Select(p => p.ChildExecs)]),
                DroppedInvocations = Dropped,
            };
        }
    }

    private sealed class Invocation(ProcessKey key, ProgramEntry program, DateTimeOffset firstSeen)
    {
        public ProcessKey Key => key;

        public ProgramEntry Program => program;

        public DateTimeOffset FirstSeen => firstSeen;

        /// <summary>
        /// Start order: the kernel start time orders processes of one boot exactly; the first
        /// sighting breaks ties and orders processes whose start time is unknown (0).
        /// </summary>
        public (string Boot, long StartTicks, DateTimeOffset FirstSeen) Order => (key.Boot, key.StartTicks, firstSeen);

        public long ChildExecs { get; set; }
    }
}
