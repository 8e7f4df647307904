using System.Runtime.InteropServices;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Rates;

/// <summary>What the tracker keeps per program and per run; used under the tracker's lock only.</summary>
public sealed partial class ProgramTracker
{
    private sealed class ProgramEntry(ProgramSignature signature, string label, SecondRing ring)
    {
        private readonly Dictionary<string, long> _children = new(StringComparer.Ordinal);
        private readonly Dictionary<string, long> _chains = new(StringComparer.Ordinal);
        private long _otherChildren;
        private long _otherChains;
        private long _droppedRuns;
        private long _droppedChildren;
        private GrowthAssessment? _growth;

        public ProgramSignature Signature => signature;

        public string Label => label;

        public SecondRing Ring => ring;

        /// <summary>Kept runs in start order (runs arrive in start order but for rare races; see <see cref="Add"/>).</summary>
        public List<Run> Runs { get; } = [];

        public long Children { get; private set; }

        public DateTimeOffset FirstRun { get; private set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset LastRun { get; private set; } = DateTimeOffset.MinValue;

        /// <summary>An independent copy, with copies of its runs (which point to the copy).</summary>
        public ProgramEntry Clone()
        {
            var copy = new ProgramEntry(signature, label, ring.Clone())
            {
                _otherChildren = _otherChildren,
                _otherChains = _otherChains,
                _droppedRuns = _droppedRuns,
                _droppedChildren = _droppedChildren,
                _growth = _growth,
                Children = Children,
                FirstRun = FirstRun,
                LastRun = LastRun,
            };
            copy._children.AddAll(_children);
            copy._chains.AddAll(_chains);
            foreach (var run in Runs)
            {
                copy.Runs.Add(new Run(run.Key, copy, run.FirstSeen) { ChildExecs = run.ChildExecs });
            }

            return copy;
        }

        public void Add(Run run, string chain, int maxChains)
        {
            // Keep start order: a run can be registered late (first seen through a child's ancestry).
            var at = Runs.Count;
            while (at > 0 && Runs[at - 1].Order.CompareTo(run.Order) > 0)
            {
                at--;
            }

            Runs.Insert(at, run);
            FirstRun = run.FirstSeen < FirstRun ? run.FirstSeen : FirstRun;
            LastRun = run.FirstSeen > LastRun ? run.FirstSeen : LastRun;
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_chains, chain, out var exists);
            if (exists || _chains.Count <= maxChains)
            {
                count++;
            }
            else
            {
                _chains.Remove(chain);
                _otherChains++;
            }

            _growth = null;
        }

        public Run DropOldest()
        {
            var oldest = Runs[0];
            Runs.RemoveAt(0);
            _droppedRuns++;
            _droppedChildren += oldest.ChildExecs;
            _growth = null;
            return oldest;
        }

        public void CountChild(Run run, string exe, long second, DateTimeOffset time, int maxChildExes)
        {
            run.ChildExecs++;
            Children++;
            ring.Add(second);
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(_children, exe, out var exists);
            if (exists || _children.Count <= maxChildExes)
            {
                count++;
            }
            else
            {
                _children.Remove(exe);
                _otherChildren++;
            }

            LastRun = run.FirstSeen > LastRun ? run.FirstSeen : LastRun;
            _growth = null;
        }

        /// <summary>Judged once per change: the rank test is O(runs²), and queries repeat ten times a second.</summary>
        public GrowthAssessment Growth => _growth ??= GrowthAssessment.Of([.. Runs.Select(r => r.ChildExecs)], _droppedRuns, _droppedChildren);

        public InvocationSeries ToSeries() => new()
        {
            Program = signature,
            Points = [.. Runs.Select(r => r.ToPoint())],
            Growth = Growth,
            DroppedInvocations = _droppedRuns,
        };

        public ProgramRate ToRate(TimeRange range, long execs, ProgramTrackerOptions options) => new()
        {
            Program = signature,
            Label = label,
            Runs = _droppedRuns + Runs.Count,
            Children = Children,
            ChildrenPerRun = [.. Runs.Select(r => r.ToPoint())],
            DroppedRuns = _droppedRuns,
            Growth = Growth,
            FirstRun = FirstRun,
            LastRun = LastRun,
            Range = range,
            Execs = execs,
            Chains = Top(_chains, _otherChains, options.TopListed, (k, v) => new ChainCount(k, v), "(other)"),
            TopChildren = Top(_children, _otherChildren, options.TopListed, (k, v) => new ChildExeCount(k, v), ExecRateWindow.OtherChildExes),
        };

        private static List<T> Top<T>(Dictionary<string, long> counts, long other, int top, Func<string, long, T> make, string otherName)
        {
            var list = counts
                .OrderByDescending(c => c.Value)
                .ThenBy(c => c.Key, StringComparer.Ordinal)
                .Take(top)
                .Select(c => make(c.Key, c.Value))
                .ToList();
            if (other > 0)
            {
                list.Add(make(otherName, other));
            }

            return list;
        }
    }

    private sealed class Run(ProcessKey key, ProgramEntry program, DateTimeOffset firstSeen)
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

        public InvocationPoint ToPoint() => new(key, firstSeen, ChildExecs);
    }
}
