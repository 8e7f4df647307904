namespace ExecDashboard.Domain.Rates;

/// <summary>Copies one count table into another: what the rates' <c>Clone</c> methods share.</summary>
internal static class CountsCopy
{
    /// <summary>Adds every entry of <paramref name="from"/>; <paramref name="to"/> must hold none of its keys.</summary>
    public static void AddAll(this Dictionary<string, long> to, Dictionary<string, long> from)
    {
        to.EnsureCapacity(to.Count + from.Count);
        foreach (var (key, count) in from)
        {
            to.Add(key, count);
        }
    }
}
