using System.Runtime.InteropServices;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Argument lists equal when their arguments are, ordinal, in order: equal lists have equal JSON
/// texts (<see cref="ArgvJson"/>) and so one row id.
/// </summary>
/// <remarks>
/// This runs for every exec stored. Lists come as arrays (the hub's reader) or lists (the raw-log
/// import) and are read as spans: through <see cref="IReadOnlyList{T}"/> each argument is an
/// interface call, which made comparing and hashing a list cost more than the dictionary
/// look-up it served (perf, 300,000-exec replay).
/// </remarks>
internal sealed class ArgvContent : IEqualityComparer<IReadOnlyList<string>>
{
    public static readonly ArgvContent Comparer = new();

    private ArgvContent()
    {
    }

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

        if (TryGetSpan(x, out var xs) && TryGetSpan(y, out var ys))
        {
            for (var i = 0; i < xs.Length; i++)
            {
                if (!string.Equals(xs[i], ys[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        // By index, not LINQ or foreach: an enumerator over an IReadOnlyList is an allocation.
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
        if (TryGetSpan(obj, out var arguments))
        {
            foreach (var argument in arguments)
            {
                hash.Add(Hash(argument));
            }
        }
        else
        {
            for (var i = 0; i < obj.Count; i++)
            {
                hash.Add(Hash(obj[i]));
            }
        }

        return hash.ToHashCode();
    }

    private static int Hash(string? argument) => argument is null ? 0 : string.GetHashCode(argument.AsSpan());

    private static bool TryGetSpan(IReadOnlyList<string> list, out ReadOnlySpan<string> span)
    {
        switch (list)
        {
            case string[] array:
                span = array;
                return true;
            case List<string> items:
                span = CollectionsMarshal.AsSpan(items);
                return true;
            default:
                span = default;
                return false;
        }
    }
}
