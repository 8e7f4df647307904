namespace ExecDashboard.Domain.Trees;

/// <summary>
/// One side (left or right edge per level) of a subtree, as a linked list of runs: a run holds one
/// edge for one or more consecutive levels. Each link carries the offset between the runs it joins,
/// so moving a whole subtree, joining a sibling's deeper levels or hanging a subtree under a parent
/// costs O(1) instead of rewriting every level below (Buchheim, Jünger and Leipert, "Improving
/// Walker's algorithm to run in linear time", 2002: threads with modifiers).
/// </summary>
internal sealed class ContourSide
{
    private ContourSide(ContourRun head, double baseOffset, ContourRun tail, double tailOffset, int depth)
    {
        Head = head;
        Base = baseOffset;
        Tail = tail;
        TailOffset = tailOffset;
        Depth = depth;
    }

    public ContourRun Head { get; private set; }

    /// <summary>Added to <see cref="Head"/>'s edge.</summary>
    public double Base { get; private set; }

    public ContourRun Tail { get; private set; }

    /// <summary>The offset accumulated at <see cref="Tail"/>, so its edge is <c>TailOffset + Tail.Edge</c>.</summary>
    public double TailOffset { get; private set; }

    public int Depth { get; private set; }

    public static ContourSide Single(double edge, int levels = 1)
    {
        var run = new ContourRun(edge, levels);
        return new ContourSide(run, 0, run, 0, levels);
    }

    public void Translate(double x)
    {
        Base += x;
        TailOffset += x;
    }

    /// <summary>Appends <paramref name="below"/> (already in this side's coordinates) under the deepest level.</summary>
    public void Append(ContourSide below)
    {
        Tail.Next = below.Head;
        Tail.Delta = below.Base - TailOffset;
        Tail = below.Tail;
        TailOffset = below.TailOffset;
        Depth += below.Depth;
    }

    /// <summary>Keeps this side's first <paramref name="levels"/> levels and continues with <paramref name="other"/>'s deeper ones.</summary>
    public void ContinueWith(ContourSide other, int levels, LayoutCost cost)
    {
        var (run, offset) = other.SplitAt(levels, cost);
        Tail.Next = run;
        Tail.Delta = offset - TailOffset;
        Tail = other.Tail;
        TailOffset = other.TailOffset;
        Depth = other.Depth;
    }

    /// <summary>The run that starts exactly at <paramref name="level"/> (splitting one if needed) and the offset accumulated there.</summary>
    private (ContourRun Run, double Offset) SplitAt(int level, LayoutCost cost)
    {
        var run = Head;
        var offset = Base;
        var start = 0;
        while (start + run.Levels <= level)
        {
            cost.Steps++;
            start += run.Levels;
            offset += run.Delta;
            run = run.Next!;
        }

        if (start == level)
        {
            return (run, offset);
        }

        var rest = new ContourRun(run.Edge, start + run.Levels - level) { Next = run.Next, Delta = run.Delta };
        run.Levels = level - start;
        run.Next = rest;
        run.Delta = 0;
        if (ReferenceEquals(Tail, run))
        {
            Tail = rest;
        }

        return (rest, offset);
    }
}

/// <summary>An edge shared by <see cref="Levels"/> consecutive levels; <see cref="Delta"/> is added on the way to <see cref="Next"/>.</summary>
internal sealed class ContourRun(double edge, int levels)
{
    public double Edge { get; } = edge;

    public int Levels { get; set; } = levels;

    public ContourRun? Next { get; set; }

    public double Delta { get; set; }
}

/// <summary>Walks a side level by level, a run at a time.</summary>
internal struct ContourCursor(ContourSide side)
{
    private ContourRun? _run = side.Head;
    private double _offset = side.Base;
    private int _left = side.Head.Levels;

    public readonly double Edge => _offset + _run!.Edge;

    /// <summary>Levels left in the current run.</summary>
    public readonly int Remaining => _run is null ? 0 : _left;

    public void Advance(int levels)
    {
        _left -= levels;
        if (_left == 0)
        {
            _offset += _run!.Delta;
            _run = _run.Next;
            _left = _run?.Levels ?? 0;
        }
    }
}

/// <summary>Contour steps a layout walked: the unit of its cost, counted so tests can check it grows linearly.</summary>
internal sealed class LayoutCost
{
    public long Steps { get; set; }
}
