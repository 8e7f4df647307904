using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// What one write says about a process, before it is merged into its row. Rows of one batch are
/// merged here first (PostgreSQL's upsert may touch a row once per statement) with the same rules
/// the statements apply against the stored row, so the order of writes changes nothing it should not.
/// </summary>
internal sealed record ProcessRow(ProcessKey Key, int Ppid, ProcessKey Parent, string Exe, IReadOnlyList<string> Argv, Provenance Provenance, long First, long Last)
{
    /// <summary>An exec's process: a later successful exec replaces the image; the strongest provenance wins.</summary>
    public ProcessRow MergeExec(ProcessRow incoming)
    {
        var image = incoming.Provenance == Provenance.ExecSeen && (Provenance > Provenance.ExecSeen || incoming.Last >= Last);
        return new ProcessRow(
            Key,
            incoming.Ppid,
            incoming.Parent.IsNone ? Parent : incoming.Parent,
            image ? incoming.Exe : Exe,
            image ? incoming.Argv : Argv,
            (Provenance)Math.Min((int)Provenance, (int)incoming.Provenance),
            Math.Min(First, incoming.First),
            Math.Max(Last, incoming.Last));
    }

    /// <summary>An ancestor as a child saw it: fills what is unknown, never overrides a stronger source.</summary>
    public ProcessRow MergeAncestor(ProcessRow incoming)
    {
        var image = incoming.Provenance < Provenance || Exe.Length == 0;
        var parentKnown = !Parent.IsNone;
        return new ProcessRow(
            Key,
            parentKnown ? Ppid : incoming.Ppid,
            parentKnown ? Parent : incoming.Parent,
            image ? incoming.Exe : Exe,
            image ? incoming.Argv : Argv,
            (Provenance)Math.Min((int)Provenance, (int)incoming.Provenance),
            Math.Min(First, incoming.First),
            Math.Max(Last, incoming.Last));
    }
}
