namespace ExecDashboard.Domain.Trees;

public sealed record DescendantTreeOptions
{
    /// <summary>Nodes drawn at most; the rest are counted in <see cref="ProcessGraph.CutNodes"/>.</summary>
    public int MaxNodes { get; init; } = 500;

    /// <summary>
    /// Siblings with the same exe and argument count whose arguments are the same or differ only
    /// in numbers (a counter: <c>expr 1553 + 1</c>) collapse from this many on.
    /// </summary>
    public int CollapseFrom { get; init; } = 2;

    /// <summary>
    /// Siblings whose arguments differ in text (each compiler job on its own file) are distinct work
    /// a person wants to see one by one; they collapse only from this many on.
    /// </summary>
    public int DistinctCollapseFrom { get; init; } = 200;

    /// <summary>
    /// Sibling subtrees of the same shape (same exe and argument count, and recursively children of
    /// the same shapes) collapse into one group when drawing them one by one would take more than
    /// this many nodes: 1,000 <c>sh -c 'cc -c X.c'</c> jobs, each with a <c>cc1</c> and an <c>as</c>,
    /// are <c>sh ×1,000</c> over <c>cc1 ×1,000</c> and <c>as ×1,000</c>, while a 133-job build
    /// (399 nodes) stays node by node.
    /// </summary>
    public int SameShapeCollapseNodes { get; init; } = 500;

    /// <summary>Concrete keys kept per group for click-through.</summary>
    public int SampleKeys { get; init; } = 5;
}
