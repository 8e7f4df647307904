namespace ExecDashboard.Domain.Processes;

/// <summary>
/// Whether two ancestries are the very same ancestor objects, in the same order. Siblings of a
/// storm carry one chain's instances one exec after another (the lineage and the hub's reader hand
/// them out so), and ancestors are immutable: work done for the previous exec's chain (checked,
/// merged, resolved to an image) holds for this one without reading its fields again.
/// </summary>
public static class SharedAncestry
{
    /// <summary>True when both are non-empty and hold the same instances in the same order.</summary>
    public static bool SameInstances(IReadOnlyList<Ancestor> a, IReadOnlyList<Ancestor> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Count != b.Count || a.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!ReferenceEquals(a[i], b[i]))
            {
                return false;
            }
        }

        return true;
    }
}
