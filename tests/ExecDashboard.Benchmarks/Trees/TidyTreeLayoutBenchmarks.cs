using BenchmarkDotNet.Attributes;
using ExecDashboard.Domain.Trees;

namespace ExecDashboard.Benchmarks.Trees;

/// <summary>
/// The process graph's layout per node, in two shapes: a build (make → jobs × (sh → cc1, as)),
/// whose family wraps into rows, and a deep comb (a spine of shells, each with one leaf), where a
/// layout that copies or re-walks contours per family turns quadratic. The baseline is building
/// the node list alone (child lists and widths), the least any layout of that input costs; a
/// linear layout keeps the same ratio against it at 500 and at 5,000 nodes.
/// </summary>
[MemoryDiagnoser]
public class TidyTreeLayoutBenchmarks
{
    private static readonly TidyTreeOptions Options = new() { HorizontalGap = 14, MaxRowWidth = 3200, TrunkMargin = 24 };

    private List<int>[] _children = [];
    private double[] _widths = [];

    [Params(500, 5_000)]
    public int Nodes { get; set; }

    [Params("build", "comb")]
    public string Shape { get; set; } = "build";

    [GlobalSetup]
    public void Setup() => (_children, _widths) = NodeList();

    [Benchmark(Baseline = true)]
    public int BuildNodeList() => NodeList().Children.Length;

    [Benchmark]
    public double Arrange()
    {
        var (children, widths) = NodeList();
        return TidyTreeLayout.Arrange(0, children, widths, Options).Width;
    }

    [Benchmark]
    public double ArrangePrebuilt() => TidyTreeLayout.Arrange(0, _children, _widths, Options).Width;

    private (List<int>[] Children, double[] Widths) NodeList()
    {
        var children = new List<int>[Nodes];
        var widths = new double[Nodes];
        for (var n = 0; n < Nodes; n++)
        {
            children[n] = [];
            widths[n] = 120 + (n * 37 % 160); // labels of varied lengths, the same every run
        }

        if (Shape == "build")
        {
            for (var sh = 1; sh + 2 < Nodes; sh += 3)
            {
                children[0].Add(sh);
                children[sh].Add(sh + 1);
                children[sh].Add(sh + 2);
            }
        }
        else
        {
            for (var spine = 0; spine + 2 < Nodes; spine += 2)
            {
                children[spine].Add(spine + 2);
                children[spine].Add(spine + 1);
            }
        }

        return (children, widths);
    }
}
