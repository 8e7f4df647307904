using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// A row of <c>images</c> as the writer looks it up: a process running one program image,
/// started from its parent image. Arguments compare by content.
/// </summary>
internal readonly record struct ImageKey(long Process, long ParentImage, string Exe, IReadOnlyList<string> Argv, Provenance Provenance)
{
    public bool Equals(ImageKey other) =>
        Process == other.Process && ParentImage == other.ParentImage && Provenance == other.Provenance
        && string.Equals(Exe, other.Exe, StringComparison.Ordinal) && Argv.SequenceEqual(other.Argv, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Process);
        hash.Add(ParentImage);
        hash.Add(Exe, StringComparer.Ordinal);
        hash.Add(Provenance);
        foreach (var a in Argv)
        {
            hash.Add(a, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
