using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Trees;

/// <summary>
/// Who begat whom, from a set of exec events: each process's execs (its program images in order),
/// its parent, and what its descendants' ancestry chains say about it when we never saw it exec
/// (a shell's subshell forks without exec; a process may predate the recording).
/// </summary>
internal sealed class ProcessIndex
{
    private readonly Dictionary<ProcessKey, List<ExecEvent>> _images = [];
    private readonly Dictionary<ProcessKey, ProcessKey> _parentOf = [];
    private readonly Dictionary<ProcessKey, Ancestor> _known = [];
    private readonly Dictionary<ProcessKey, DateTimeOffset> _firstSeen = [];
    private Dictionary<ProcessKey, List<ProcessKey>>? _children;

    public ProcessIndex(IEnumerable<ExecEvent> events)
    {
        foreach (var exec in events)
        {
            var time = exec.Exec.Time;
            Images(exec.Process, create: true)!.Add(exec);
            See(exec.Process, time);
            if (!exec.Parent.IsNone && exec.Parent != exec.Process)
            {
                _parentOf[exec.Process] = exec.Parent;
            }

            for (var i = 0; i < exec.Ancestry.Count; i++)
            {
                var ancestor = exec.Ancestry[i];
                See(ancestor.Key, time);
                if (!_known.TryGetValue(ancestor.Key, out var known) || Better(ancestor, known))
                {
                    _known[ancestor.Key] = ancestor;
                }

                if (i + 1 < exec.Ancestry.Count && ancestor.Key != exec.Ancestry[i + 1].Key)
                {
                    _parentOf.TryAdd(ancestor.Key, exec.Ancestry[i + 1].Key);
                }
            }
        }

        foreach (var images in _images.Values)
        {
            images.Sort(static (a, b) => a.Exec.Time != b.Exec.Time ? a.Exec.Time.CompareTo(b.Exec.Time) : a.Exec.Serial.CompareTo(b.Exec.Serial));
        }
    }

    public IReadOnlyList<ExecEvent> ImagesOf(ProcessKey key) => Images(key, create: false) ?? (IReadOnlyList<ExecEvent>)[];

    public Ancestor? Known(ProcessKey key) => _known.GetValueOrDefault(key);

    public DateTimeOffset? FirstSeen(ProcessKey key) => _firstSeen.TryGetValue(key, out var time) ? time : null;

    /// <summary>Direct children, first seen first.</summary>
    public IReadOnlyList<ProcessKey> ChildrenOf(ProcessKey key)
    {
        if (_children is null)
        {
            _children = [];
            foreach (var (child, parent) in _parentOf)
            {
                if (!_children.TryGetValue(parent, out var list))
                {
                    _children[parent] = list = [];
                }

                list.Add(child);
            }

            foreach (var list in _children.Values)
            {
                list.Sort((a, b) => _firstSeen[a] != _firstSeen[b] ? _firstSeen[a].CompareTo(_firstSeen[b]) : a.StartTicks.CompareTo(b.StartTicks));
            }
        }

        return _children.TryGetValue(key, out var children) ? children : [];
    }

    // Prefer the strongest provenance, then a known exe over an empty one.
    private static bool Better(Ancestor candidate, Ancestor known) =>
        candidate.Provenance < known.Provenance
        || (candidate.Provenance == known.Provenance && known.Exe.Length == 0 && candidate.Exe.Length > 0);

    private List<ExecEvent>? Images(ProcessKey key, bool create)
    {
        if (!_images.TryGetValue(key, out var list) && create)
        {
            _images[key] = list = [];
        }

        return list;
    }

    private void See(ProcessKey key, DateTimeOffset time)
    {
        if (!_firstSeen.TryGetValue(key, out var seen) || time < seen)
        {
            _firstSeen[key] = time;
        }
    }
}
