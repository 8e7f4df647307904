namespace ExecDashboard.Web.Storage;

/// <summary>
/// Argument lists equal when their arguments are, ordinal, in order: equal lists have equal JSON
/// texts (<see cref="ArgvJson"/>) and so one row id.
/// </summary>
internal sealed class ArgvContent : IEqualityComparer<IReadOnlyList<string>>
{
    public static readonly ArgvContent Comparer = new();

    private ArgvContent()
    {
    }

    // By index, not LINQ or foreach: an enumerator over an IReadOnlyList is an allocation, and
    // this runs for every exec stored.
    public bool Equals(IReadOnlyList<string>? x, IReadOnlyList<string>? y)
    {
        if (ReferenceEquals(x, y))
        {
            return true;
        }

        if (x is null || y is null || x.Count != y.Count)
        {
            return false;
        }

        for (var i = 0; i < x.Count; i++)
        {
            if (!string.Equals(x[i], y[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(IReadOnlyList<string> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var hash = new HashCode();
        hash.Add(obj.Count);
        for (var i = 0; i < obj.Count; i++)
        {
            hash.Add(obj[i] is { } argument ? string.GetHashCode(argument.AsSpan()) : 0);
        }

        return hash.ToHashCode();
    }
}
