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
        && string.Equals(Exe, other.Exe, StringComparison.Ordinal) && SameArguments(Argv, other.Argv);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Process);
        hash.Add(ParentImage);
        hash.Add(Exe, StringComparer.Ordinal);
        hash.Add(Provenance);
        for (var i = 0; i < Argv.Count; i++)
        {
            hash.Add(Argv[i], StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    // By index, not LINQ or foreach: every event looks up each of its ancestors' images here, and
    // an enumerator over an IReadOnlyList is an allocation each time.
    private static bool SameArguments(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
