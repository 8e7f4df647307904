namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Where browser tests save the screenshots a person looks at: <c>EXECDASH_SCREENSHOTS</c> when set
/// (<c>deploy/update-screenshots.sh</c> points it at the README's pictures), else beside the test
/// assembly, so an ordinary test run never rewrites files tracked in git.
/// </summary>
internal static class Screenshots
{
    public static string Directory => System.IO.Directory.CreateDirectory(
        Environment.GetEnvironmentVariable("EXECDASH_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName;
}
