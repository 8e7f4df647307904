namespace ExecDashboard.Domain.Trees;

public sealed record DescendantTreeOptions
{
    /// <summary>Nodes drawn at most; the rest are counted in <see cref="ProcessGraph.CutNodes"/>.</summary>
    public int MaxNodes { get; init; } = 500;

    /// <summary>Siblings with the same exe and argument count collapse from this many on.</summary>
    public int CollapseFrom { get; init; } = 2;

    /// <summary>Concrete keys kept per group for click-through.</summary>
    public int SampleKeys { get; init; } = 5;
}
