namespace ExecDashboard.Web.Configuration;

/// <summary>Resolved file locations, created with owner-only permissions.</summary>
public sealed class DashboardPaths
{
    private DashboardPaths(string dataDirectory, string databasePath, string tokenFile, string collectorTokenFile)
    {
        DataDirectory = dataDirectory;
        DatabasePath = databasePath;
        TokenFile = tokenFile;
        CollectorTokenFile = collectorTokenFile;
    }

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    public string TokenFile { get; }

    public string CollectorTokenFile { get; }

    /// <summary>
    /// The XDG Base Directory rule: <c>$XDG_DATA_HOME</c> when set and absolute, else
    /// <c>~/.local/share</c>; our folder below it.
    /// </summary>
    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(root, "execdashboard");
    }

    public static DashboardPaths Resolve(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = Path.GetFullPath(string.IsNullOrWhiteSpace(options.DataDirectory) ? DefaultDataDirectory() : options.DataDirectory);
        if (!Directory.Exists(data))
        {
            // Exec arguments can hold secrets: the folder with the database is the owner's alone.
            Directory.CreateDirectory(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        string Under(string? configured, string fileName) =>
            Path.GetFullPath(string.IsNullOrWhiteSpace(configured) ? Path.Combine(data, fileName) : configured);

        return new DashboardPaths(
            data,
            Under(options.DatabasePath, "execdashboard.db"),
            Under(options.TokenFile, "token"),
            Under(options.CollectorTokenFile, "collector-token"));
    }
}
