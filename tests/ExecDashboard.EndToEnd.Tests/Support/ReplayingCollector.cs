using System.Diagnostics;
using System.Text;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The real collector replaying an auditd log into one or more dashboard replicas
/// (<c>--source file --file LOG --server URL1,URL2</c>, no <c>--follow</c>): it runs until the
/// dashboards acknowledged every event, then exits. Needs no privilege. Killed by its PID if the
/// test ends first.
/// </summary>
internal sealed class ReplayingCollector : IAsyncDisposable
{
    private readonly StringBuilder _stderr = new();
    private readonly Process _process;

    private ReplayingCollector(Process process) => _process = process;

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

    public static ReplayingCollector Start(string log, IReadOnlyList<Uri> servers, string spool, string token = DashboardProcess.CollectorToken)
    {
        var root = RepositoryRoot.Find();
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var collector = Path.Combine(root.FullName, "src", "ExecDashboard.Collector", "bin", baseDir.Parent!.Name, baseDir.Name, "execdash-collector.dll");
        Assert.True(File.Exists(collector), $"The collector is not built at {collector}.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var urls = string.Join(',', servers.Select(s => s.ToString().TrimEnd('/')));
        foreach (var arg in new[] { collector, "--source", "file", "--file", log, "--server", urls, "--spool", spool })
        {
            start.ArgumentList.Add(arg);
        }

        // The token travels in the environment, never on a command line that every user can read.
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = token;
        var process = new Process { StartInfo = start };
        var replay = new ReplayingCollector(process);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (replay._stderr)
            {
                replay._stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return replay;
    }

    /// <summary>The exit status, once the collector ends (within five minutes, or the test fails).</summary>
    public async Task<int> ExitCodeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The collector did not finish its replay within 5 minutes:\n{Stderr}");
        }

        // The exit event can come before the last lines of standard error are read.
        await _process.WaitForExitAsync();
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
