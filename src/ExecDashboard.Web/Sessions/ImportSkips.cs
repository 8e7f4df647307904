namespace ExecDashboard.Web.Sessions;

/// <summary>
/// What an import read but could not store whole, counted so the response and the Sessions page
/// can say so: nothing is skipped silently. Filled by one importer on one thread.
/// </summary>
public sealed class ImportSkips
{
    /// <summary>Lines of an audit log the parser could not read (no header, bad quoting, garbage).</summary>
    public long UnreadableLines { get; set; }

    /// <summary>Lines longer than any record the kernel or auditd writes; skipped without being buffered.</summary>
    public long OversizedLines { get; set; }

    /// <summary>Exec records without their SYSCALL record (no pid or parent), so no exec could be built.</summary>
    public long IncompleteExecs { get; set; }

    /// <summary>Stored execs whose arguments could not be read whole (flagged <c>argvTruncated</c>).</summary>
    public long TruncatedArguments { get; set; }

    public bool Any => UnreadableLines + OversizedLines + IncompleteExecs + TruncatedArguments > 0;

    /// <summary>One sentence for people, or empty when nothing was skipped.</summary>
    public string Describe()
    {
        if (!Any)
        {
            return string.Empty;
        }

        var parts = new List<string>(4);
        if (UnreadableLines > 0)
        {
            parts.Add($"{UnreadableLines} unreadable line{(UnreadableLines == 1 ? "" : "s")} skipped");
        }

        if (OversizedLines > 0)
        {
            parts.Add($"{OversizedLines} oversized line{(OversizedLines == 1 ? "" : "s")} skipped");
        }

        if (IncompleteExecs > 0)
        {
            parts.Add($"{IncompleteExecs} exec record{(IncompleteExecs == 1 ? "" : "s")} without SYSCALL skipped");
        }

        if (TruncatedArguments > 0)
        {
            parts.Add($"{TruncatedArguments} exec{(TruncatedArguments == 1 ? "" : "s")} stored with cut arguments");
        }

        return string.Join("; ", parts) + ".";
    }
}
