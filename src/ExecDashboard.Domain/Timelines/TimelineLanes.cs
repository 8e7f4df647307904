using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Timelines;

/// <summary>One row of a timeline: one process, or repeated siblings (same program, same number of arguments) as one lane of many bars.</summary>
public sealed record TimelineLane
{
    public required int Depth { get; init; }

    /// <summary><c>expr(12828)[1553 + 1]</c> for one process, <c>expr ×1,553</c> for repeats.</summary>
    public required string Label { get; init; }

    /// <summary>The bars of this lane, by start.</summary>
    public required IReadOnlyList<ProcessSpan> Spans { get; init; }
}

/// <summary>
/// The lanes a timeline draws, in tree order, and how many the whole tree has: <see cref="Total"/>
/// is more than <see cref="Shown"/> holds when the tree was cut at the lane limit.
/// </summary>
public sealed record TimelineLaneSet(IReadOnlyList<TimelineLane> Shown, int Total)
{
    public static readonly TimelineLaneSet Empty = new([], 0);

    public bool IsCut => Total > Shown.Count;
}

/// <summary>
/// Lays a process's descendants out as lanes: a parent's lane, then its children's, depth first,
/// children by start. Siblings running the same program with the same number of arguments
/// collapse into one lane once there are <see cref="CollapseFrom"/> of them (the sendmail loop's
/// runs are one lane of growing bars), and their children are pooled under that lane.
/// </summary>
public static class TimelineLanes
{
    public const int CollapseFrom = 3;

    /// <summary>The most lanes a timeline draws; past it the page would be a wall of labels, and slow to render.</summary>
    public const int MaxLanes = 300;

    /// <summary>
    /// The first <paramref name="maxLanes"/> lanes; the rest of the tree is still walked (without
    /// labels) so the view can say how many it left out.
    /// </summary>
    public static TimelineLaneSet Build(IReadOnlyList<ProcessSpan> spans, ProcessKey root, int maxLanes = MaxLanes)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var byParent = spans.Where(s => !s.Parent.IsNone).GroupBy(s => s.Parent).ToDictionary(g => g.Key, g => g.OrderBy(s => s.Start).ToList());
        var rootSpan = spans.FirstOrDefault(s => s.Key == root);
        if (rootSpan is null)
        {
            return TimelineLaneSet.Empty;
        }

        var lanes = new List<TimelineLane>();
        var stack = new Stack<(List<ProcessSpan> Members, int Depth)>();
        stack.Push(([rootSpan], 0));
        var seen = new HashSet<ProcessKey>();
        var total = 0;
        while (stack.TryPop(out var item))
        {
            var members = item.Members.Where(m => seen.Add(m.Key)).ToList();
            if (members.Count == 0)
            {
                continue;
            }

            total++;
            if (lanes.Count < maxLanes)
            {
                lanes.Add(new TimelineLane { Depth = item.Depth, Label = Label(members), Spans = members });
            }

            var children = members.SelectMany(m => byParent.GetValueOrDefault(m.Key) ?? []).OrderBy(c => c.Start).ToList();
            var groups = new List<List<ProcessSpan>>();
            foreach (var family in children.GroupBy(c => (c.Exe, c.Argv.Count)))
            {
                if (family.Count() >= CollapseFrom)
                {
                    groups.Add([.. family]);
                }
                else
                {
                    groups.AddRange(family.Select(c => new List<ProcessSpan> { c }));
                }
            }

            // Pushed in reverse so the earliest-starting lane comes out first.
            foreach (var group in groups.OrderByDescending(g => g[0].Start))
            {
                stack.Push((group, item.Depth + 1));
            }
        }

        return new TimelineLaneSet(lanes, total);
    }

    private static string Label(List<ProcessSpan> members)
    {
        var first = members[0];
        var name = first.Exe.Length == 0 ? "?" : Path.GetFileName(first.Exe);
        if (members.Count > 1)
        {
            return $"{name} ×{CountText.Of(members.Count)}";
        }

        return first.Argv.Count > 1 ? $"{name}({first.Pid})[{string.Join(' ', first.Argv.Skip(1))}]" : $"{name}({first.Pid})";
    }
}
