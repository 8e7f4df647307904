using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The real collector (<c>execdash-collector.dll</c>, built by the project reference, or a published
/// executable) on the real kernel, pushing to a dashboard with <c>--server</c>. Ready once it logs that its audit rules are
/// installed; stopped with SIGTERM by its PID, which makes it remove those rules.
/// </summary>
internal sealed class CollectorProcess : IAsyncDisposable
{
    private const int SigKill = 9;
    private const int SigTerm = 15;

    private readonly StringBuilder _stderr = new();
    private readonly Process _process;
    private readonly string _spool;

    private CollectorProcess(Process process, string spool)
    {
        _process = process;
        _spool = spool;
    }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Fails with a sentence, not a skip, when this machine cannot run the real collector.</summary>
    public static void RequireRoot() => Assert.True(
        Environment.IsPrivilegedProcess,
        "This test runs the real collector on the real kernel: it needs root (kernel audit needs CAP_AUDIT_CONTROL and CAP_AUDIT_READ). Run it as root.");

    /// <param name="server">The dashboard it pushes to.</param>
    /// <param name="published">A published collector executable to run instead of the build's dll.</param>
    /// <param name="launcher">A program that runs <paramref name="published"/> (its first argument) in its place.</param>
    public static async Task<CollectorProcess> StartAsync(Uri server, string? published = null, string? launcher = null)
    {
        RequireRoot();
        ProcessStartInfo start;
        if (published is null)
        {
            var root = RepositoryRoot.Find();
            var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
            var collector = Path.Combine(root.FullName, "src", "ExecDashboard.Collector", "bin", baseDir.Parent!.Name, baseDir.Name, "execdash-collector.dll");
            Assert.True(File.Exists(collector), $"The collector is not built at {collector}.");
            start = new ProcessStartInfo("dotnet") { ArgumentList = { collector } };
        }
        else
        {
            start = launcher is null ? new ProcessStartInfo(published) : new ProcessStartInfo(launcher) { ArgumentList = { published } };
        }

        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var spool = Directory.CreateTempSubdirectory("execdash-e2e-collector-spool-").FullName;
        foreach (var arg in new[] { "--server", server.ToString().TrimEnd('/'), "--spool", spool })
        {
            start.ArgumentList.Add(arg);
        }

        // The token travels in the environment, never on a command line that every user can read.
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = DashboardProcess.CollectorToken;
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var collectorProcess = new CollectorProcess(process, spool);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) => collectorProcess.Append(e.Data, ready);
        process.OutputDataReceived += (_, _) => { };
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The collector exited at start-up:\n{collectorProcess.Stderr}"));
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await collectorProcess.DisposeAsync();
            throw;
        }

        return collectorProcess;
    }

    /// <summary>The kernel's rules as <c>auditctl -l</c> lists them.</summary>
    public static async Task<string> InstalledRulesAsync()
    {
        var start = new ProcessStartInfo("auditctl", "-l") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var auditctl = Process.Start(start) ?? throw new InvalidOperationException("auditctl did not start.");
        var output = await auditctl.StandardOutput.ReadToEndAsync();
        await auditctl.WaitForExitAsync();
        Assert.True(auditctl.ExitCode == 0, $"auditctl -l failed with {auditctl.ExitCode.ToString(CultureInfo.InvariantCulture)}: {await auditctl.StandardError.ReadToEndAsync()}");
        return output;
    }

    /// <summary>The collector's rules carry its default key <c>execdash</c>; none may outlive it.</summary>
    public static void AssertNoRulesLeft(string rules)
    {
        var ours = rules.Split('\n').Where(line => line.TrimEnd().EndsWith("key=execdash", StringComparison.Ordinal)).ToArray();
        Assert.True(ours.Length == 0, $"The collector left its audit rules installed:\n{string.Join('\n', ours)}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // SIGTERM is the clean stop: the collector removes its rules and restores the audit status.
                _ = Kill(_process.Id, SigTerm);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try
                {
                    await _process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    _ = Kill(_process.Id, SigKill);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            try
            {
                Directory.Delete(_spool, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's temp cleanup.
            }
        }
    }

    private void Append(string? line, TaskCompletionSource ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_stderr)
        {
            _stderr.AppendLine(line);
        }

        if (line.Contains("Collector ready", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }

    // DllImport rather than LibraryImport: this project does not allow unsafe code, and kill(2) takes only integers.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Kill(int pid, int signal);
}
