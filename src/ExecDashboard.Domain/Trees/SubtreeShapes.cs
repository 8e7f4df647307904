namespace ExecDashboard.Domain.Trees;

/// <summary>
/// The shape of a subtree as a small integer: two subtrees have the same id when their roots have
/// the same signature and their children, taken as a multiset of (edge, child shape), do too.
/// Each unit is computed once (memoized), bottom-up with an explicit stack: a process chain can be
/// thousands deep, deeper than recursion may go.
/// </summary>
internal sealed class SubtreeShapes<T>(Func<T, IEnumerable<(GraphEdgeKind Kind, T Unit)>> below, Func<T, string> signature)
    where T : notnull
{
    private readonly Dictionary<T, (int Id, long Size)> _known = [];
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>The shape id and the subtree's size in units, <paramref name="unit"/> included.</summary>
    public (int Id, long Size) Of(T unit)
    {
        if (_known.TryGetValue(unit, out var known))
        {
            return known;
        }

        var open = new HashSet<T>();
        var stack = new Stack<(T Unit, bool Expanded)>();
        stack.Push((unit, false));
        while (stack.TryPop(out var item))
        {
            if (_known.ContainsKey(item.Unit))
            {
                continue;
            }

            if (!item.Expanded)
            {
                if (!open.Add(item.Unit))
                {
                    continue; // reached again before it finished: not a tree; counted where first met
                }

                stack.Push((item.Unit, true));
                foreach (var (_, child) in below(item.Unit))
                {
                    if (!_known.ContainsKey(child) && !open.Contains(child))
                    {
                        stack.Push((child, false));
                    }
                }

                continue;
            }

            var size = 1L;
            var parts = new List<string>();
            foreach (var (kind, child) in below(item.Unit))
            {
                if (_known.TryGetValue(child, out var shape))
                {
                    size += shape.Size;
                    parts.Add($"{(int)kind}:{shape.Id}");
                }
            }

            parts.Sort(StringComparer.Ordinal);
            var key = signature(item.Unit) + "\0" + string.Join(',', parts);
            if (!_ids.TryGetValue(key, out var id))
            {
                _ids[key] = id = _ids.Count;
            }

            _known[item.Unit] = (id, size);
        }

        return _known[unit];
    }
}
