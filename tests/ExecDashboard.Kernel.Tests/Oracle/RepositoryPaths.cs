namespace ExecDashboard.Kernel.Tests.Oracle;

/// <summary>Files the tests read from the repository and from the shared audit fixtures beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>Real audit logs published by other projects, kept next to the repository (never copied into it).</summary>
    public static string AuditFixtures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures", "audit"));

    public static string AuditRules => Path.Combine(Root, "deploy", "audit", "execdashboard.rules");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ExecDashboard.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No ExecDashboard.sln above {AppContext.BaseDirectory}.");
    }
}
