using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>
/// The real dashboard, started as a child process (the built app, as a user would run it) on a
/// free loopback port with its own data directory and known tokens. Stopped by its PID.
/// </summary>
public sealed class DashboardServer : IAsyncDisposable
{
    public const string BrowserToken = "test-browser-token-0123456789";
    public const string CollectorToken = "test-collector-token-9876543210";

    private readonly StringBuilder _output = new();
    private Process? _process;

    private DashboardServer(string dataDirectory, int port, string[] extraArgs, IReadOnlyDictionary<string, string?>? environment)
    {
        DataDirectory = dataDirectory;
        Port = port;
        ExtraArgs = extraArgs;
        Environment = environment;
    }

    /// <summary>Variables set (or, when null, removed) for the process, over the known tokens.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; }

    public string DataDirectory { get; }

    public int Port { get; }

    public string[] ExtraArgs { get; }

    public Uri BaseAddress => new($"{(Https ? "https" : "http")}://127.0.0.1:{Port}");

    /// <summary>True when the dashboard serves HTTPS (with a test certificate).</summary>
    public bool Https { get; private init; }

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

    public int? Pid => _process?.Id;

    /// <summary>Starts a dashboard on a fresh temporary data directory.</summary>
    public static async Task<DashboardServer> StartAsync(params string[] extraArgs)
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        var server = new DashboardServer(data, FreePort(), [$"--Dashboard:DataDirectory={data}", .. extraArgs], null);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts a dashboard serving HTTPS on loopback with the given certificate (PKCS#12 file).</summary>
    public static async Task<DashboardServer> StartHttpsAsync(string pfxPath, string password)
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        var port = FreePort();
        string[] args =
        [
            $"--Dashboard:DataDirectory={data}", "--urls", $"https://127.0.0.1:{port}",
            $"--Kestrel:Certificates:Default:Path={pfxPath}", $"--Kestrel:Certificates:Default:Password={password}",
        ];
        var server = new DashboardServer(data, port, args, null) { Https = true };
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts a dashboard on a data directory prepared by the test (for example an old database).</summary>
    public static async Task<DashboardServer> StartOnAsync(string dataDirectory, params string[] extraArgs)
    {
        var server = new DashboardServer(dataDirectory, FreePort(), [$"--Dashboard:DataDirectory={dataDirectory}", .. extraArgs], null);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// Starts a dashboard with a temporary home for its data directory (XDG_DATA_HOME) and the
    /// given environment, without naming the data directory on the command line.
    /// </summary>
    public static async Task<DashboardServer> StartWithEnvironmentAsync(IReadOnlyDictionary<string, string?> environment)
    {
        var variables = new Dictionary<string, string?>(environment);
        if (!variables.TryGetValue("XDG_DATA_HOME", out var home) || home is null)
        {
            variables["XDG_DATA_HOME"] = home = Directory.CreateTempSubdirectory("execdash-web-test-home-").FullName;
        }

        var server = new DashboardServer(home, FreePort(), [], variables);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>
    /// A second dashboard on this one's port and data directory (stop this one first) whose browser
    /// token is <paramref name="browserToken"/>: a token changed between two runs.
    /// </summary>
    public async Task<DashboardServer> WithBrowserTokenAsync(string browserToken)
    {
        var variables = new Dictionary<string, string?>(Environment ?? new Dictionary<string, string?>()) { ["EXECDASH_TOKEN"] = browserToken };
        var server = new DashboardServer(DataDirectory, Port, ExtraArgs, variables);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the process (again) on the same port and data directory.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException("The dashboard is already running.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WebAssemblyPath());
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var arg in ExtraArgs)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["EXECDASH_TOKEN"] = BrowserToken;
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = CollectorToken;
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (name, value) in Environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data, ready);
        process.ErrorDataReceived += (_, e) => Append(e.Data, null);
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException($"The dashboard exited at start-up:\n{Output}"));
        process.Start();
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>Kills the process (SIGKILL): nothing is flushed that was not already committed.</summary>
    public async Task StopAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        _process = null;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            process.Dispose();
        }
    }

    public HttpClient Client(string? bearer = BrowserToken)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The Web app built beside this test assembly's configuration (Debug or Release).</summary>
    internal static string WebAssemblyPath()
    {
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var framework = baseDir.Name;
        var configuration = baseDir.Parent!.Name;
        var root = baseDir;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "ExecDashboard.sln")))
        {
            root = root.Parent;
        }

        if (root is null)
        {
            throw new InvalidOperationException("Cannot find the repository root (ExecDashboard.sln) above the test assembly.");
        }

        var path = Path.Combine(root.FullName, "src", "ExecDashboard.Web", "bin", configuration, framework, "ExecDashboard.Web.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The dashboard is not built at {path}.", path);
    }
}
