using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace ExecDashboard.Benchmarks.Store;

/// <summary>The dashboard's Release build as a child process on a free port, stopped by its PID.</summary>
internal sealed class BenchDashboard : IAsyncDisposable
{
    public const string BrowserToken = "bench-browser-token-0123456789";
    public const string CollectorToken = "bench-collector-token-9876543210";

    private readonly Process _process;
    private readonly CancellationTokenSource _stopSampling = new();
    private readonly Task _sampling;
    private long _peakPrivate;

    private BenchDashboard(Process process, int port, string dataDirectory)
    {
        _process = process;
        Port = port;
        DataDirectory = dataDirectory;
        _sampling = SamplePrivateAsync(_stopSampling.Token);
    }

    public int Port { get; }

    public string DataDirectory { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    public string DatabasePath => Path.Combine(DataDirectory, "execdashboard.db");

    /// <param name="root">The repository.</param>
    /// <param name="dataDirectory">The dashboard's data folder.</param>
    /// <param name="settings">More command-line settings (a store, a replica name).</param>
    public static async Task<BenchDashboard> StartAsync(string root, string dataDirectory, IReadOnlyList<string>? settings = null)
    {
        var app = Path.Combine(root, "src", "ExecDashboard.Web", "bin", "Release", "net10.0", "ExecDashboard.Web.dll");
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { app, "--port", port.ToString(CultureInfo.InvariantCulture), $"--Dashboard:DataDirectory={dataDirectory}", "--Dashboard:MaxImportBytes=4294967296" }.Concat(settings ?? []))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["EXECDASH_TOKEN"] = BrowserToken;
        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = CollectorToken;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        var process = Process.Start(start) ?? throw new InvalidOperationException("The dashboard did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var dashboard = new BenchDashboard(process, port, dataDirectory);
        using var client = dashboard.Client();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var health = await client.GetAsync(new Uri("api/health", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return dashboard;
                }
            }
            catch (HttpRequestException) when (attempt < 300 && !process.HasExited)
            {
            }

            if (process.HasExited || attempt >= 300)
            {
                throw new InvalidOperationException("The dashboard did not come up.");
            }

            await Task.Delay(100);
        }
    }

    public HttpClient Client()
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromMinutes(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", BrowserToken);
        return client;
    }

    /// <summary>CPU time (user and system) the dashboard process has used so far.</summary>
    public TimeSpan CpuTime()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>
    /// Resident set size now and at its peak (VmRSS, VmHWM of /proc/PID/status), and the peak of its
    /// private part (RssAnon, sampled every 20 ms), in bytes. The resident set counts mapped files:
    /// the runtime's libraries, and the database pages an export maps (page cache, shared with the
    /// kernel and given back when it ends); the private part is the dashboard's own memory.
    /// </summary>
    public RssFigures Rss()
    {
        var status = Status();
        return new RssFigures(status.GetValueOrDefault("VmRSS:"), status.GetValueOrDefault("VmHWM:"), Math.Max(Volatile.Read(ref _peakPrivate), status.GetValueOrDefault("RssAnon:")));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopSampling.CancelAsync();
        await _sampling;
        _stopSampling.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>The <c>kB</c> lines of /proc/PID/status, in bytes, by their names with the colon; empty once the process is gone.</summary>
    private Dictionary<string, long> Status()
    {
        var figures = new Dictionary<string, long>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts is [var name, var value, "kB"])
                {
                    figures[name] = long.Parse(value, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The process has exited.
        }

        return figures;
    }

    private async Task SamplePrivateAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var now = Status().GetValueOrDefault("RssAnon:");
                if (now > _peakPrivate)
                {
                    Volatile.Write(ref _peakPrivate, now);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
