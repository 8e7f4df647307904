using System.Diagnostics;
using System.Globalization;
using ExecDashboard.Kernel.Tests.Collector;

namespace ExecDashboard.Kernel.Tests.Oracle;

/// <summary>
/// Debian's auditd in the foreground (<c>auditd -n -c DIR</c>) with a private configuration that
/// writes RAW lines to a temporary log, no plugins, and never acts on disk space. Stopped by
/// SIGTERM to its PID; the caller restores what auditd changes in the kernel (it enables audit).
/// </summary>
internal sealed class AuditDaemon : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private AuditDaemon(Process process, string directory)
    {
        _process = process;
        _directory = directory;
    }

    public int Pid => _process.Id;

    public string LogPath => Path.Combine(_directory, "audit.log");

    public static async Task<AuditDaemon> StartAsync(TimeSpan timeout)
    {
        var directory = Directory.CreateTempSubdirectory("execdash-auditd-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "plugins"));
        await File.WriteAllTextAsync(Path.Combine(directory, "auditd.conf"), $"""
            local_events = yes
            write_logs = yes
            log_file = {Path.Combine(directory, "audit.log")}
            log_format = RAW
            flush = INCREMENTAL_ASYNC
            freq = 50
            max_log_file = 0
            num_logs = 0
            max_log_file_action = IGNORE
            space_left = 2
            space_left_action = IGNORE
            admin_space_left = 1
            admin_space_left_action = IGNORE
            disk_full_action = IGNORE
            disk_error_action = IGNORE
            name_format = NONE
            q_depth = 8000
            overflow_action = IGNORE
            plugin_dir = {Path.Combine(directory, "plugins")}
            end_of_event_timeout = 2

            """);

        var start = new ProcessStartInfo("auditd") { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add("-n");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(directory);
        var daemon = new AuditDaemon(Process.Start(start) ?? throw new InvalidOperationException("auditd did not start."), directory);

        // Ready once the kernel names it as the audit daemon.
        var waited = Stopwatch.StartNew();
        while (AuditState.Read().Pid != daemon.Pid.ToString(CultureInfo.InvariantCulture))
        {
            Assert.False(daemon._process.HasExited, $"auditd exited with {(daemon._process.HasExited ? daemon._process.ExitCode : 0)}; run 'auditd -f -c {directory}' to see why.");
            Assert.True(waited.Elapsed < timeout, "auditd did not register with the kernel in time.");
            await Task.Delay(100);
        }

        return daemon;
    }

    /// <summary>SIGTERM: auditd writes what it holds and exits.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(wait.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(30));
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
