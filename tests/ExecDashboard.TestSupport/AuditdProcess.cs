using System.Diagnostics;

namespace ExecDashboard.TestSupport;

/// <summary>
/// A real auditd (Debian's) in the foreground with its own configuration and log in a temporary
/// directory, for coexistence tests. Dispose stops it by its PID and removes the directory.
/// </summary>
public sealed class AuditdProcess : IDisposable
{
    private readonly Process _process;

    private AuditdProcess(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public int Pid => _process.Id;

    public string Directory { get; }

    public string LogFile => Path.Combine(Directory, "audit.log");

    /// <summary>Starts auditd and waits until the kernel reports it as the registered audit daemon.</summary>
    public static AuditdProcess Start(TimeSpan? timeout = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("auditd-test-").FullName;
        var plugins = System.IO.Directory.CreateDirectory(Path.Combine(directory, "plugins.d")).FullName;
        var config = Path.Combine(directory, "auditd.conf");
        File.WriteAllText(config, $"""
            local_events = yes
            write_logs = yes
            log_file = {Path.Combine(directory, "audit.log")}
            log_group = root
            log_format = RAW
            flush = DATA
            max_log_file = 512
            num_logs = 2
            max_log_file_action = IGNORE
            space_left = 5
            space_left_action = IGNORE
            admin_space_left = 2
            admin_space_left_action = IGNORE
            disk_full_action = IGNORE
            disk_error_action = IGNORE
            use_libwrap = no
            tcp_listen_queue = 5
            tcp_max_per_addr = 1
            tcp_client_max_idle = 0
            transport = TCP
            krb5_principal = auditd
            distribute_network = no
            q_depth = 2000
            overflow_action = SYSLOG
            max_restarts = 10
            plugin_dir = {plugins}
            end_of_event_timeout = 2

            """);

        var start = new ProcessStartInfo("auditd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-n", "-c", directory })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("auditd did not start.");
        var auditd = new AuditdProcess(process, directory);
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (AuditCtl.Status().GetValueOrDefault("pid") != process.Id)
        {
            if (process.HasExited || deadline.Elapsed > (timeout ?? TimeSpan.FromSeconds(15)))
            {
                auditd.Dispose();
                throw new InvalidOperationException($"auditd did not register with the kernel: {(process.HasExited ? stderr.Result : "timed out")}");
            }

            Thread.Sleep(50);
        }

        return auditd;
    }

    /// <summary>Kills auditd with SIGKILL, as a crash would: it never unregisters from the kernel.</summary>
    public void Crash()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>The log text so far.</summary>
    public string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "";

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets auditd unregister from the kernel; fall back to SIGKILL of that PID only.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                kill.WaitForExit();
            }

            if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                _process.Kill();
                _process.WaitForExit();
            }
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A log file still open elsewhere: the temp directory is harmless.
        }
    }
}
