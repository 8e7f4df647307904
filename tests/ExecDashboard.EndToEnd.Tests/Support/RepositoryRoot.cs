namespace ExecDashboard.EndToEnd.Tests.Support;

internal static class RepositoryRoot
{
    /// <summary>The directory holding ExecDashboard.sln, found by walking up from the test assembly.</summary>
    public static DirectoryInfo Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "ExecDashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir ?? throw new InvalidOperationException("Cannot find the repository root (ExecDashboard.sln) above the test assembly.");
    }
}
