namespace ExecDashboard.Domain.Trees;

/// <summary>
/// A tidy tree (Reingold–Tilford): each subtree is laid out once, bottom-up, and kept as its
/// contour (leftmost and rightmost extent per row); a sibling subtree is pushed right only as far
/// as the contours of the siblings before it require, so small subtrees tuck under large ones, and
/// a parent sits centred over its first and last child. Positions depend only on the tree, so the
/// same tree always gets the same picture.
/// <para>
/// A wide family wraps: when a row of sibling subtrees would grow past
/// <see cref="TidyTreeOptions.MaxRowWidth"/>, the next sibling starts a new row below the deepest
/// row of the previous one, left-aligned with it (text flow). A child appended to the last row
/// then moves no existing node, and 133 compiler jobs read as a block instead of a thin line.
/// </para>
/// Cost: every node's contour is walked once per level it spans, O(nodes × depth).
/// </summary>
public static class TidyTreeLayout
{
    /// <summary>Lays out the tree whose nodes are 0..count-1; <paramref name="children"/> in drawing order.</summary>
    public static TreeLayout Arrange(int root, IReadOnlyList<IReadOnlyList<int>> children, IReadOnlyList<double> widths, TidyTreeOptions? options = null)
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
        var contours = new Contour?[count];
        var offsetX = new double[count];
        var offsetLevel = new int[count];
        var row = new int[count];
        var rowsLeft = new double[count];
        Array.Fill(rowsLeft, double.NaN);

        // Children before parents: the reverse of a pre-order walk.
        for (var i = order.Count - 1; i >= 0; i--)
        {
            var node = order[i];
            contours[node] = ArrangeFamily(node, children[node], widths, contours, new Family(offsetX, offsetLevel, row, rowsLeft), options);
            foreach (var child in children[node])
            {
                contours[child] = null; // folded into the parent's contour; let it go
            }
        }

        var x = new double[count];
        var level = new int[count];
        var placed = new bool[count];
        foreach (var node in order)
        {
            placed[node] = true;
            foreach (var child in children[node])
            {
                x[child] = x[node] + offsetX[child];
                level[child] = level[node] + offsetLevel[child];
            }

            rowsLeft[node] += x[node];
        }

        // Shift so the leftmost edge is at 0.
        var left = contours[root]!.Left.Min();
        var levels = contours[root]!.Left.Count;
        for (var n = 0; n < count; n++)
        {
            if (placed[n])
            {
                x[n] -= left;
                rowsLeft[n] -= left;
            }
        }

        return new TreeLayout(x, level, placed, contours[root]!.Right.Max() - left, levels) { Row = row, RowsLeft = rowsLeft };
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

    private static Contour ArrangeFamily(
        int node, IReadOnlyList<int> kids, IReadOnlyList<double> widths, Contour?[] contours, Family family, TidyTreeOptions options)
    {
        var half = widths[node] / 2;
        var own = new Contour([-half], [half]);
        if (kids.Count == 0)
        {
            return own;
        }

        // Rows of sibling subtrees, each placed against the contour of the row so far.
        var rows = new List<Row>();
        var row = new Row();
        foreach (var kid in kids)
        {
            var shape = contours[kid]!;
            if (row.Kids.Count > 0 && row.WidthWith(shape, options.HorizontalGap) > options.MaxRowWidth)
            {
                rows.Add(row);
                row = new Row();
            }

            row.Place(kid, shape, options.HorizontalGap);
        }

        rows.Add(row);

        // The parent is centred over its first row; later rows share the first row's left edge.
        var first = rows[0];
        var centre = (first.X[0] + first.X[^1]) / 2;
        var level = 1;
        var rowsLeft = first.MinLeft - centre;

        // A wrapped family's links run down a trunk left of its rows: keep that lane clear.
        var trunkLeft = rows.Count > 1 ? rowsLeft - options.TrunkMargin : double.MaxValue;
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

            for (var l = 0; l < r.Forest.Left.Count; l++)
            {
                own.Left.Add(Math.Min(r.Forest.Left[l] + shift, trunkLeft));
                own.Right.Add(r.Forest.Right[l] + shift);
            }

            level += r.Forest.Left.Count;
        }

        if (rows.Count > 1)
        {
            family.RowsLeft[node] = rowsLeft;
        }

        return own;
    }

    /// <summary>Where the children of one family went, relative to their parent.</summary>
    private sealed record Family(double[] OffsetX, int[] OffsetLevel, int[] Row, double[] RowsLeft);

    /// <summary>Leftmost and rightmost extent per row below (and including) a subtree's root, relative to it.</summary>
    private sealed record Contour(List<double> Left, List<double> Right);

    /// <summary>Sibling subtrees side by side; x relative to the first sibling's centre.</summary>
    private sealed class Row
    {
        public List<int> Kids { get; } = [];

        public List<double> X { get; } = [];

        public Contour Forest { get; } = new([], []);

        public double MinLeft { get; private set; } = double.MaxValue;

        private double _maxRight = double.MinValue;

        public double WidthWith(Contour shape, double gap)
        {
            var x = Separation(shape, gap);
            return Math.Max(_maxRight, shape.Right.Max() + x) - Math.Min(MinLeft, shape.Left.Min() + x);
        }

        public void Place(int kid, Contour shape, double gap)
        {
            var x = Kids.Count == 0 ? 0 : Separation(shape, gap);
            Kids.Add(kid);
            X.Add(x);
            for (var l = 0; l < shape.Left.Count; l++)
            {
                var left = shape.Left[l] + x;
                var right = shape.Right[l] + x;
                if (l < Forest.Left.Count)
                {
                    Forest.Right[l] = right; // the new subtree is the rightmost on every row it shares
                }
                else
                {
                    Forest.Left.Add(left);
                    Forest.Right.Add(right);
                }

                MinLeft = Math.Min(MinLeft, left);
                _maxRight = Math.Max(_maxRight, right);
            }
        }

        /// <summary>How far right of the first sibling a new subtree must sit to clear every row it shares.</summary>
        private double Separation(Contour shape, double gap)
        {
            var x = double.MinValue;
            var shared = Math.Min(shape.Left.Count, Forest.Left.Count);
            for (var l = 0; l < shared; l++)
            {
                x = Math.Max(x, Forest.Right[l] - shape.Left[l] + gap);
            }

            return x;
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
