using ExecDashboard.Domain.Trees;

namespace ExecDashboard.Domain.Tests.Trees;

public sealed class TidyTreeLayoutTests
{
    private const double Gap = 16;

    [Fact]
    public void A_parent_sits_centred_over_its_first_and_last_child()
    {
        // 0 → 1, 2, 3; 2 → 4, 5
        var tree = new TestTree(6).Link(0, 1, 2, 3).Link(2, 4, 5);

        var layout = tree.Arrange();

        Assert.Equal((layout.CentreX[1] + layout.CentreX[3]) / 2, layout.CentreX[0], 6);
        Assert.Equal((layout.CentreX[4] + layout.CentreX[5]) / 2, layout.CentreX[2], 6);
        Assert.Equal([0, 1, 1, 1, 2, 2], layout.Level);
    }

    [Fact]
    public void No_two_nodes_of_a_row_overlap_in_a_random_tree_of_500_nodes()
    {
        for (var seed = 1; seed <= 20; seed++)
        {
            var tree = TestTree.Random(500, seed);

            var layout = tree.Arrange(new TidyTreeOptions { MaxRowWidth = 3000 });

            AssertNoOverlaps(tree, layout);
            Assert.All(Enumerable.Range(0, 500), n => Assert.True(layout.Placed[n]));
        }
    }

    [Fact]
    public void A_small_subtree_tucks_under_a_wide_neighbour_instead_of_clearing_its_whole_width()
    {
        // 0 → 1, 2; 1 has four children below it; 2 is a leaf and may sit close to 1 on level 1.
        var tree = new TestTree(7).Link(0, 1, 2).Link(1, 3, 4, 5, 6);

        var layout = tree.Arrange();

        Assert.Equal(layout.CentreX[1] + 100 + Gap, layout.CentreX[2], 6);
        AssertNoOverlaps(tree, layout);
    }

    [Fact]
    public void A_wide_family_wraps_into_rows_no_wider_than_the_limit()
    {
        var tree = new TestTree(134).Link(0, [.. Enumerable.Range(1, 133)]);

        var layout = tree.Arrange(new TidyTreeOptions { MaxRowWidth = 1000 });

        Assert.True(layout.Width <= 1000, $"width {layout.Width}");
        Assert.True(layout.Levels > 10, $"{layout.Levels} levels");
        // Each row continues where the last one stopped: children stay in order, left to right, top to bottom.
        for (var n = 2; n <= 133; n++)
        {
            Assert.True(layout.Level[n] > layout.Level[n - 1] || (layout.Level[n] == layout.Level[n - 1] && layout.CentreX[n] > layout.CentreX[n - 1]));
        }

        // Later rows start at the first row's left edge.
        var rowStarts = Enumerable.Range(1, 133).GroupBy(n => layout.Level[n]).Select(g => layout.CentreX[g.First()]).Distinct().ToList();
        Assert.Single(rowStarts);
        AssertNoOverlaps(tree, layout);
    }

    [Fact]
    public void Wrapped_rows_of_subtrees_do_not_overlap_the_rows_above()
    {
        // make → 40 × (sh → cc1, as)
        var tree = new TestTree(121);
        for (var job = 0; job < 40; job++)
        {
            var sh = 1 + (3 * job);
            tree.Link(0, sh).Link(sh, sh + 1, sh + 2);
        }

        var layout = tree.Arrange(new TidyTreeOptions { MaxRowWidth = 1500 });

        AssertNoOverlaps(tree, layout);
        Assert.All(Enumerable.Range(0, 40), job => Assert.Equal(layout.Level[1 + (3 * job)] + 1, layout.Level[2 + (3 * job)]));
        Assert.True(layout.Width <= 1500);
    }

    [Fact]
    public void A_wrapped_family_keeps_a_clear_lane_for_its_trunk_left_of_its_rows()
    {
        // 0 → 1, 2; 1 → 33; 2's 30 children wrap; 1's child may not sit in the lane left of them.
        // Two of 2's children fit a row, so 2's family (and the lane) fits beside 1 in the root's row.
        var tree = new TestTree(34).Link(0, 1, 2).Link(1, 33).Link(2, [.. Enumerable.Range(3, 30)]);
        Enumerable.Range(3, 30).ToList().ForEach(n => tree.Widths[n] = 250);

        var layout = tree.Arrange(new TidyTreeOptions { MaxRowWidth = 700, TrunkMargin = 40 });

        Assert.True(double.IsNaN(layout.RowsLeft[0]));
        var lane = layout.RowsLeft[2];
        Assert.Equal(lane, Enumerable.Range(3, 30).Min(n => layout.CentreX[n] - 125), 6);
        Assert.Equal(layout.Level[3], layout.Level[33]);
        Assert.True(layout.CentreX[33] + 50 + Gap <= lane - 40 + 1e-6, $"node 33 ends at {layout.CentreX[33] + 50}, the lane starts at {lane - 40}");
        Assert.Equal([0, 0, 1, 2], new[] { 3, 4, 5, 8 }.Select(n => layout.Row[n]));
        AssertNoOverlaps(tree, layout);
    }

    [Fact]
    public void Appending_a_child_to_a_wrapped_family_moves_no_existing_node()
    {
        var options = new TidyTreeOptions { MaxRowWidth = 800 };
        var before = new TestTree(41).Link(0, [.. Enumerable.Range(1, 40)]).Arrange(options);
        var after = new TestTree(42).Link(0, [.. Enumerable.Range(1, 41)]).Arrange(options);

        for (var n = 0; n <= 40; n++)
        {
            Assert.Equal(before.CentreX[n], after.CentreX[n], 6);
            Assert.Equal(before.Level[n], after.Level[n]);
        }
    }

    [Fact]
    public void The_same_tree_always_gets_the_same_positions()
    {
        var first = TestTree.Random(300, seed: 7).Arrange();
        var second = TestTree.Random(300, seed: 7).Arrange();

        Assert.Equal(first.CentreX, second.CentreX);
        Assert.Equal(first.Level, second.Level);
    }

    [Theory]
    [InlineData("chain")]
    [InlineData("comb with the spine first")]
    [InlineData("comb with the spine last")]
    public void Contour_work_grows_linearly_with_the_nodes(string shape)
    {
        // Copying or re-walking contours per family costs O(nodes × depth) here: four times the
        // nodes would cost sixteen times the steps. Threaded contours keep it at four.
        var small = TestTree.Deep(shape, 1000).Cost();
        var large = TestTree.Deep(shape, 4000).Cost();

        Assert.True(large <= (4 * small) + 8, $"{small} steps for 1,000 nodes, {large} for 4,000");
        Assert.True(large < 4000 * 4, $"{large} steps for 4,000 nodes");
    }

    [Fact]
    public void A_deep_comb_is_laid_out_without_overlaps()
    {
        var tree = TestTree.Deep("comb with the spine first", 2001);

        var layout = tree.Arrange(new TidyTreeOptions { MaxRowWidth = double.MaxValue });

        AssertNoOverlaps(tree, layout);
        Assert.Equal(1001, layout.Levels);
    }

    [Fact]
    public void Refuses_a_graph_that_is_not_a_tree()
    {
        var tree = new TestTree(3).Link(0, 1, 2).Link(1, 2);

        var error = Assert.Throws<ArgumentException>(() => tree.Arrange());

        Assert.Contains("not a tree", error.Message, StringComparison.Ordinal);
    }

    private static void AssertNoOverlaps(TestTree tree, TreeLayout layout)
    {
        foreach (var row in Enumerable.Range(0, tree.Count).Where(n => layout.Placed[n]).GroupBy(n => layout.Level[n]))
        {
            var sorted = row.OrderBy(n => layout.CentreX[n]).ToList();
            for (var i = 1; i < sorted.Count; i++)
            {
                var a = sorted[i - 1];
                var b = sorted[i];
                var clearance = layout.CentreX[b] - (tree.Widths[b] / 2) - (layout.CentreX[a] + (tree.Widths[a] / 2));
                Assert.True(clearance >= Gap - 1e-6, $"nodes {a} and {b} on row {row.Key} are {clearance} apart");
            }
        }
    }

    private sealed class TestTree
    {
        private readonly List<int>[] _children;

        public TestTree(int count)
        {
            _children = [.. Enumerable.Range(0, count).Select(_ => new List<int>())];
            Widths = [.. Enumerable.Repeat(100.0, count)];
        }

        public int Count => _children.Length;

        public double[] Widths { get; }

        public static TestTree Random(int count, int seed)
        {
            var random = new System.Random(seed);
            var tree = new TestTree(count);
            for (var n = 1; n < count; n++)
            {
                tree._children[random.Next(n)].Add(n);
                tree.Widths[n] = 40 + random.Next(260);
            }

            return tree;
        }

        /// <summary>A chain, or a comb: a spine whose every node also has a leaf child, before or after the next spine node.</summary>
        public static TestTree Deep(string shape, int count)
        {
            var tree = new TestTree(count);
            if (shape == "chain")
            {
                for (var n = 1; n < count; n++)
                {
                    tree.Link(n - 1, n);
                }

                return tree;
            }

            var spineFirst = shape == "comb with the spine first";
            for (var spine = 0; spine + 2 < count; spine += 2)
            {
                tree.Link(spine, spineFirst ? [spine + 2, spine + 1] : [spine + 1, spine + 2]);
            }

            return tree;
        }

        public long Cost()
        {
            var cost = new LayoutCost();
            TidyTreeLayout.Arrange(0, _children, Widths, null, cost);
            return cost.Steps;
        }

        public TestTree Link(int parent, params int[] children)
        {
            _children[parent].AddRange(children);
            return this;
        }

        public TreeLayout Arrange(TidyTreeOptions? options = null) => TidyTreeLayout.Arrange(0, _children, Widths, options);
    }
}
