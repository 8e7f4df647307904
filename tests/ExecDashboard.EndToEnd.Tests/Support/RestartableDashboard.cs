using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The real dashboard on a port and data directory that outlive it: killed with SIGKILL (as a crash
/// or the OOM killer would end it) and started again in the same place. The caller owns the directory.
/// </summary>
internal sealed class RestartableDashboard : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private readonly Process _process;

    private RestartableDashboard(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static async Task<RestartableDashboard> StartAsync(int port, string dataDirectory)
    {
        var root = RepositoryRoot.Find();
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var app = Path.Combine(root.FullName, "src", "ExecDashboard.Web", "bin", baseDir.Parent!.Name, baseDir.Name, "ExecDashboard.Web.dll");
        Assert.True(File.Exists(app), $"The dashboard is not built at {app}.");

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { app, "--port", port.ToString(CultureInfo.InvariantCulture), $"--Dashboard:DataDirectory={dataDirectory}" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["EXECDASH_TOKEN"] = DashboardProcess.BrowserToken;
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = DashboardProcess.CollectorToken;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new RestartableDashboard(process, port);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => server.Append(e.Data, ready);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data, null);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The dashboard exited at start-up:\n{server.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public HttpClient ApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardProcess.BrowserToken);
        return client;
    }

    /// <summary>SIGKILL by PID: no shutdown hooks run, whatever was in flight is lost to the dashboard.</summary>
    public async Task CrashAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            _process.Dispose();
        }
    }

    private void Append(string? line, TaskCompletionSource? ready)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (ready is not null && line.Contains("/login?t=", StringComparison.Ordinal))
        {
            ready.TrySetResult();
        }
    }
}
