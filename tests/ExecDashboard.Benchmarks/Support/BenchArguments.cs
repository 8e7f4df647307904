namespace ExecDashboard.Benchmarks.Support;

/// <summary>The benchmark commands' options: <c>--name value</c> pairs after the command.</summary>
internal static class BenchArguments
{
    /// <summary>The value after <paramref name="name"/>, or null when it is not given.</summary>
    public static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
