namespace ExecDashboard.Domain.Trees;

/// <summary>
/// A tidy tree (Reingold–Tilford): each subtree is laid out once, bottom-up, and kept as its
/// contour (leftmost and rightmost edge per level); a sibling subtree is pushed right only as far
/// as the contours of the siblings before it require, so small subtrees tuck under large ones, and
/// a parent sits centred over its first and last child. Positions depend only on the tree, so the
/// same tree always gets the same picture.
/// <para>
/// A wide family wraps: when a row of sibling subtrees would grow past
/// <see cref="TidyTreeOptions.MaxRowWidth"/>, the next sibling starts a new row below the deepest
/// row of the previous one, left-aligned with it (text flow). A child appended to the last row
/// then moves no existing node, and 133 compiler jobs read as a block instead of a thin line.
/// </para>
/// Cost: linear in the nodes. Contours are linked runs whose links carry offsets
/// (<see cref="ContourSide"/>, Buchheim–Jünger–Leipert's threads and modifiers), so placing a
/// sibling walks only the levels it shares with the siblings before it, and hanging a family under
/// its parent or moving it is O(1); children's offsets are summed once, top-down, at the end.
/// </summary>
public static class TidyTreeLayout
{
    /// <summary>Lays out the tree whose nodes are 0..count-1; <paramref name="children"/> in drawing order.</summary>
    public static TreeLayout Arrange(int root, IReadOnlyList<IReadOnlyList<int>> children, IReadOnlyList<double> widths, TidyTreeOptions? options = null) =>
        Arrange(root, children, widths, options, new LayoutCost());

    /// <summary>As the public overload, counting the contour steps walked into <paramref name="cost"/>.</summary>
    internal static TreeLayout Arrange(int root, IReadOnlyList<IReadOnlyList<int>> children, IReadOnlyList<double> widths, TidyTreeOptions? options, LayoutCost cost)
    {
        ArgumentNullException.ThrowIfNull(children);
        ArgumentNullException.ThrowIfNull(widths);
        options ??= new TidyTreeOptions();
        if (children.Count != widths.Count)
        {
            throw new ArgumentException($"{children.Count} child lists for {widths.Count} widths.", nameof(widths));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, children.Count);
        var count = children.Count;
        var order = PreOrder(root, children);
        var shapes = new Shape?[count];
        var family = new Family(new double[count], new int[count], new int[count], new double[count]);
        Array.Fill(family.RowsLeft, double.NaN);

        // Children before parents: the reverse of a pre-order walk.
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            shapes[node] = ArrangeFamily(node, children[node], widths, shapes, family, options, cost);
            foreach (var child in children[node])
            {
                shapes[child] = null; // folded into the parent's contour; let it go
            }
        }

        var x = new double[count];
        var level = new int[count];
        var placed = new bool[count];
        var rowsLeft = family.RowsLeft;
        foreach (var node in order)
        {
            placed[node] = true;
            foreach (var child in children[node])
            {
                x[child] = x[node] + family.OffsetX[child];
                level[child] = level[node] + family.OffsetLevel[child];
            }

            rowsLeft[node] += x[node];
        }

        // Shift so the leftmost edge is at 0.
        var whole = shapes[root]!;
        var left = whole.MinLeft;
        for (var n = 0; n < count; n++)
        {
            if (placed[n])
            {
                x[n] -= left;
                rowsLeft[n] -= left;
            }
        }

        return new TreeLayout(x, level, placed, whole.MaxRight - left, whole.Left.Depth) { Row = family.Row, RowsLeft = rowsLeft };
    }

    private static List<int> PreOrder(int root, IReadOnlyList<IReadOnlyList<int>> children)
    {
        var order = new List<int>(children.Count);
        var seen = new bool[children.Count];
        var stack = new Stack<int>();
        stack.Push(root);
        while (stack.TryPop(out var node))
        {
            if (seen[node])
            {
                throw new ArgumentException($"Node {node} is reached twice: the input is not a tree.", nameof(children));
            }

            seen[node] = true;
            order.Add(node);
            for (var c = children[node].Count - 1; c >= 0; c--)
            {
                stack.Push(children[node][c]);
            }
        }

        return order;
    }

    private static Shape ArrangeFamily(
        int node, IReadOnlyList<int> kids, IReadOnlyList<double> widths, Shape?[] shapes, Family family, TidyTreeOptions options, LayoutCost cost)
    {
        var half = widths[node] / 2;
        if (kids.Count == 0)
        {
            return new Shape(ContourSide.Single(-half), ContourSide.Single(half), -half, half);
        }

        // Rows of sibling subtrees, each placed against the contour of the row so far.
        var rows = new List<Row>();
        Row? row = null;
        foreach (var kid in kids)
        {
            var shape = shapes[kid]!;
            if (row is null)
            {
                row = new Row(kid, shape);
                continue;
            }

            var x = row.Separation(shape, options.HorizontalGap, cost);
            if (row.WidthWith(shape, x) > options.MaxRowWidth)
            {
                rows.Add(row);
                row = new Row(kid, shape);
            }
            else
            {
                row.Place(kid, shape, x, cost);
            }
        }

        rows.Add(row!);

        // The parent is centred over its first row; later rows share the first row's left edge.
        var first = rows[0];
        var centre = (first.X[0] + first.X[^1]) / 2;
        var level = 1;
        var rowsLeft = first.MinLeft - centre;
        var left = ContourSide.Single(-half);
        var right = ContourSide.Single(half);
        var minLeft = -half;
        var maxRight = half;
        var depth = 0;
        for (var index = 0; index < rows.Count; index++)
        {
            var r = rows[index];
            var shift = index == 0 ? -centre : first.MinLeft - r.MinLeft - centre;
            for (var k = 0; k < r.Kids.Count; k++)
            {
                family.OffsetX[r.Kids[k]] = r.X[k] + shift;
                family.OffsetLevel[r.Kids[k]] = level;
                family.Row[r.Kids[k]] = index;
            }

            r.Forest.Left.Translate(shift);
            r.Forest.Right.Translate(shift);
            right.Append(r.Forest.Right);
            maxRight = Math.Max(maxRight, r.MaxRight + shift);
            minLeft = Math.Min(minLeft, r.MinLeft + shift);
            if (rows.Count == 1)
            {
                left.Append(r.Forest.Left);
            }

            depth += r.Forest.Left.Depth;
            level += r.Forest.Left.Depth;
        }

        if (rows.Count > 1)
        {
            // A wrapped family's links run down a trunk left of its rows: keep that lane clear. Every
            // row starts at the same left edge, so the lane is the family's left edge on all its levels.
            var trunkLeft = rowsLeft - options.TrunkMargin;
            left.Append(ContourSide.Single(trunkLeft, depth));
            minLeft = Math.Min(-half, trunkLeft);
            family.RowsLeft[node] = rowsLeft;
        }

        return new Shape(left, right, minLeft, maxRight);
    }

    /// <summary>Where the children of one family went, relative to their parent.</summary>
    private sealed record Family(double[] OffsetX, int[] OffsetLevel, int[] Row, double[] RowsLeft);

    /// <summary>A subtree's contour relative to its root, with its extreme edges over all levels.</summary>
    private sealed class Shape(ContourSide left, ContourSide right, double minLeft, double maxRight)
    {
        public ContourSide Left { get; } = left;

        public ContourSide Right { get; set; } = right;

        public double MinLeft { get; set; } = minLeft;

        public double MaxRight { get; set; } = maxRight;

        public void Translate(double x)
        {
            Left.Translate(x);
            Right.Translate(x);
            MinLeft += x;
            MaxRight += x;
        }
    }

    /// <summary>Sibling subtrees side by side; x relative to the first sibling's centre.</summary>
    private sealed class Row
    {
        public Row(int kid, Shape shape)
        {
            Kids = [kid];
            X = [0];
            Forest = shape;
        }

        public List<int> Kids { get; }

        public List<double> X { get; }

        /// <summary>The siblings' combined contour: the first's on the left, the last's on the right, deeper levels from whoever reaches them.</summary>
        public Shape Forest { get; }

        public double MinLeft => Forest.MinLeft;

        public double MaxRight => Forest.MaxRight;

        public double WidthWith(Shape shape, double x) =>
            Math.Max(Forest.MaxRight, shape.MaxRight + x) - Math.Min(Forest.MinLeft, shape.MinLeft + x);

        /// <summary>How far right of the first sibling a new subtree must sit to clear every level it shares with the row.</summary>
        public double Separation(Shape shape, double gap, LayoutCost cost)
        {
            var x = double.MinValue;
            var right = new ContourCursor(Forest.Right);
            var left = new ContourCursor(shape.Left);
            while (right.Remaining > 0 && left.Remaining > 0)
            {
                cost.Steps++;
                x = Math.Max(x, right.Edge - left.Edge + gap);
                var levels = Math.Min(right.Remaining, left.Remaining);
                right.Advance(levels);
                left.Advance(levels);
            }

            return x;
        }

        public void Place(int kid, Shape shape, double x, LayoutCost cost)
        {
            Kids.Add(kid);
            X.Add(x);
            shape.Translate(x);
            var shared = Math.Min(Forest.Left.Depth, shape.Left.Depth);

            // Left edges: the row's where it reaches, the newcomer's below that.
            if (shape.Left.Depth > shared)
            {
                Forest.Left.ContinueWith(shape.Left, shared, cost);
            }

            // Right edges: the newcomer's where it reaches (it is the rightmost), the row's below that.
            if (Forest.Right.Depth > shared)
            {
                shape.Right.ContinueWith(Forest.Right, shared, cost);
            }

            Forest.Right = shape.Right;
            Forest.MinLeft = Math.Min(Forest.MinLeft, shape.MinLeft);
            Forest.MaxRight = Math.Max(Forest.MaxRight, shape.MaxRight);
        }
    }
}

public sealed record TidyTreeOptions
{
    /// <summary>Space between neighbouring nodes of one row.</summary>
    public double HorizontalGap { get; init; } = 16;

    /// <summary>A family of siblings wraps into a further row past this width (same unit as the widths).</summary>
    public double MaxRowWidth { get; init; } = 2400;

    /// <summary>Space kept left of a wrapped family's rows for the trunk its links run down.</summary>
    public double TrunkMargin { get; init; }
}

/// <summary>
/// Where each node goes: <see cref="CentreX"/> from 0 (the leftmost edge) and <see cref="Level"/>,
/// the row from the top (0 is the root). Nodes not reachable from the root are not placed.
/// </summary>
public sealed class TreeLayout(double[] centreX, int[] level, bool[] placed, double width, int levels)
{
    public IReadOnlyList<double> CentreX { get; } = centreX;

    public IReadOnlyList<int> Level { get; } = level;

    public IReadOnlyList<bool> Placed { get; } = placed;

    /// <summary>From the leftmost to the rightmost edge.</summary>
    public double Width { get; } = width;

    /// <summary>Rows used.</summary>
    public int Levels { get; } = levels;

    /// <summary>Which of its family's wrapped rows a node is in (0: the first, or the family did not wrap).</summary>
    public required IReadOnlyList<int> Row { get; init; }

    /// <summary>For a parent whose children wrapped: the left edge shared by their rows; NaN otherwise.</summary>
    public required IReadOnlyList<double> RowsLeft { get; init; }
}
