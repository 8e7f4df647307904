using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Timelines;

/// <summary>
/// Turns execs (oldest first) and process ends into <see cref="ProcessSpan"/>s: one per process an
/// exec names as itself or as its parent. A process's start is its reported start when it ended,
/// else its first exec; its end is its reported end, else the last time it or a descendant was
/// seen. Every span is then widened to cover its children's, so they nest.
/// </summary>
public sealed class ProcessSpanBuilder
{
    private readonly Dictionary<ProcessKey, Entry> _entries = [];
    private readonly Dictionary<ProcessKey, ProcessEnd> _ends = [];

    public int Count => _entries.Count;

    /// <summary>The spans of execs and ends already in hand (a recording, a test's scenario).</summary>
    public static IReadOnlyList<ProcessSpan> Of(IEnumerable<ExecEvent> execs, IEnumerable<ProcessEnd> ends)
    {
        ArgumentNullException.ThrowIfNull(execs);
        ArgumentNullException.ThrowIfNull(ends);
        var builder = new ProcessSpanBuilder();
        foreach (var exec in execs)
        {
            builder.Add(exec);
        }

        foreach (var end in ends)
        {
            builder.Add(end);
        }

        return builder.Build();
    }

    public void Add(ExecEvent exec)
    {
        ArgumentNullException.ThrowIfNull(exec);
        var time = exec.Exec.Time;
        if (!_entries.TryGetValue(exec.Process, out var entry))
        {
            entry = new Entry(exec.Process, time);
            _entries[exec.Process] = entry;
        }

        entry.Seen(time);
        if (exec.Exec.Success || entry.Exe.Length == 0)
        {
            entry.Exe = exec.Exec.Exe;
            entry.Argv = exec.Exec.Argv;
        }

        if (!exec.Parent.IsNone)
        {
            entry.Parent = exec.Parent;
            entry.Ancestry = exec.Ancestry;
            if (!_entries.TryGetValue(exec.Parent, out var parent))
            {
                var link = exec.Ancestry.Count > 0 ? exec.Ancestry[0] : null;
                parent = new Entry(exec.Parent, time) { Exe = link?.Exe ?? string.Empty, Argv = link?.Argv ?? [] };
                if (exec.Ancestry.Count > 1)
                {
                    parent.Parent = exec.Ancestry[1].Key;
                    parent.Ancestry = [.. exec.Ancestry.Skip(1)];
                }

                _entries[exec.Parent] = parent;
            }

            parent.Seen(time);
        }
    }

    public void Add(ProcessEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        _ends[end.Process] = end;
    }

    /// <summary>Every span, parents before their children, siblings by start.</summary>
    public IReadOnlyList<ProcessSpan> Build()
    {
        var children = new Dictionary<ProcessKey, List<Entry>>();
        var roots = new List<Entry>();
        foreach (var entry in _entries.Values)
        {
            if (_ends.TryGetValue(entry.Key, out var end))
            {
                entry.Start = end.Started < entry.Start ? end.Started : entry.Start;
                entry.End = end.Time > entry.End ? end.Time : entry.End;
            }

            if (!entry.Parent.IsNone && _entries.ContainsKey(entry.Parent) && entry.Parent != entry.Key)
            {
                if (!children.TryGetValue(entry.Parent, out var list))
                {
                    children[entry.Parent] = list = [];
                }

                list.Add(entry);
            }
            else
            {
                roots.Add(entry);
            }
        }

        // Widen bottom-up (post-order, iteratively: a deep chain must not overflow the stack).
        var order = new List<Entry>(_entries.Count);
        var stack = new Stack<Entry>(roots.OrderBy(r => r.Start));
        var visited = new HashSet<ProcessKey>();
        while (stack.TryPop(out var entry))
        {
            if (!visited.Add(entry.Key))
            {
                continue; // a loop in bad data
            }

            order.Add(entry);
            if (children.TryGetValue(entry.Key, out var list))
            {
                list.Sort((a, b) => b.Start.CompareTo(a.Start));
                foreach (var child in list)
                {
                    stack.Push(child);
                }
            }
        }

        for (var i = order.Count - 1; i >= 0; i--)
        {
            var entry = order[i];
            if (!children.TryGetValue(entry.Key, out var list))
            {
                continue;
            }

            foreach (var child in list)
            {
                entry.Start = child.Start < entry.Start ? child.Start : entry.Start;
                entry.End = child.End > entry.End ? child.End : entry.End;
            }
        }

        return [.. order.Select(e => new ProcessSpan
        {
            Key = e.Key,
            Parent = _entries.ContainsKey(e.Parent) ? e.Parent : ProcessKey.None,
            Exe = e.Exe,
            Argv = e.Argv,
            Ancestry = e.Ancestry,
            Start = e.Start,
            End = e.End,
            Ended = _ends.GetValueOrDefault(e.Key),
        })];
    }

    private sealed class Entry(ProcessKey key, DateTimeOffset firstSeen)
    {
        public ProcessKey Key { get; } = key;

        public ProcessKey Parent { get; set; } = ProcessKey.None;

        public string Exe { get; set; } = string.Empty;

        public IReadOnlyList<string> Argv { get; set; } = [];

        public IReadOnlyList<Ancestor> Ancestry { get; set; } = [];

        public DateTimeOffset Start { get; set; } = firstSeen;

        public DateTimeOffset End { get; set; } = firstSeen;

        public void Seen(DateTimeOffset time)
        {
            Start = time < Start ? time : Start;
            End = time > End ? time : End;
        }
    }
}
