namespace ExecDashboard.Web.Authentication;

/// <summary>
/// Reloads the collector tokens file soon after it changes, so the log says at once which tokens
/// were revoked: a file watcher for edits, and a periodic look for what a watcher can miss (an
/// NFS mount, an overflowed event queue). Checks themselves never depend on it (see
/// <see cref="CollectorCredentials.Refresh"/>).
/// </summary>
public sealed class CollectorTokensWatcher(CollectorCredentials credentials, TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (credentials.TokensFile is not { } file)
        {
            return;
        }

        // The folder, not the file: editors and installers replace a file by renaming over it.
        using var watcher = new FileSystemWatcher(Path.GetDirectoryName(file)!, Path.GetFileName(file))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName | NotifyFilters.CreationTime,
        };
        watcher.Changed += (_, _) => credentials.Refresh();
        watcher.Created += (_, _) => credentials.Refresh();
        watcher.Deleted += (_, _) => credentials.Refresh();
        watcher.Renamed += (_, _) => credentials.Refresh();
        watcher.EnableRaisingEvents = true;

        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                credentials.Refresh();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
