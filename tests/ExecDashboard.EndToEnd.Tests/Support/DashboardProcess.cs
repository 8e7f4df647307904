using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// The real dashboard as a user runs it: the built app as a child process on a free loopback
/// port, with a temporary data directory and known tokens. Stopped by its PID. Given a port and a
/// data directory that outlive it, it can crash and be started again in the same place (the
/// caller then owns the directory).
/// </summary>
internal sealed partial class DashboardProcess : IAsyncDisposable
{
    public const string BrowserToken = "e2e-browser-token-0123456789abcdef";
    public const string CollectorToken = "e2e-collector-token-fedcba9876543210";

    private readonly StringBuilder _output = new();
    private readonly Process _process;
    private readonly bool _ownsDataDirectory;

    private DashboardProcess(Process process, int port, string dataDirectory, bool ownsDataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        _ownsDataDirectory = ownsDataDirectory;
    }

    public int Port { get; }

    public int Pid => _process.Id;

    public string DataDirectory { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The login link the dashboard printed at start.</summary>
    public Uri? LoginLink { get; private set; }

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

    public static async Task<DashboardProcess> StartAsync(int? fixedPort = null, string? dataDirectory = null, IReadOnlyList<string>? settings = null)
    {
        var root = RepositoryRoot.Find();
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var app = Path.Combine(root.FullName, "src", "ExecDashboard.Web", "bin", baseDir.Parent!.Name, baseDir.Name, "ExecDashboard.Web.dll");
        if (!File.Exists(app))
        {
            throw new FileNotFoundException($"The dashboard is not built at {app}.", app);
        }

        var data = dataDirectory ?? Directory.CreateTempSubdirectory("execdash-e2e-").FullName;
        var port = fixedPort ?? FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { app, "--port", port.ToString(CultureInfo.InvariantCulture), $"--Dashboard:DataDirectory={data}" }.Concat(settings ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["EXECDASH_TOKEN"] = BrowserToken;
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = CollectorToken;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new DashboardProcess(process, port, data, ownsDataDirectory: dataDirectory is null);
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
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BrowserToken);
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
            try
            {
                if (_ownsDataDirectory)
                {
                    Directory.Delete(DataDirectory, recursive: true);
                }
            }
            catch (IOException)
            {
                // Left for the OS's temp cleanup.
            }
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

        if (ready is not null && LoginLinkPattern().Match(line) is { Success: true } match)
        {
            LoginLink = new Uri(match.Value);
            ready.TrySetResult();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"http://\S+/login\?t=\S+")]
    private static partial Regex LoginLinkPattern();
}
