using System.Diagnostics;

namespace ExecDashboard.Web.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task An_invalid_setting_stops_the_start_with_one_sentence_naming_it()
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        try
        {
            var (exitCode, error) = await RunAsync("--port", "70000", $"--Dashboard:DataDirectory={data}", "--Dashboard:HotWindowCapacity=5");
            Assert.Equal(2, exitCode);
            Assert.Contains("Dashboard:Port must be between 0 and 65535, not 70000.", error, StringComparison.Ordinal);
            Assert.Contains("Dashboard:HotWindowCapacity must be at least 1000", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("--Dashboard:Store=mysql", "Dashboard:Store must be 'sqlite' or 'postgres', not 'mysql'.")]
    [InlineData("--Dashboard:Store=postgres", "Dashboard:Store=postgres needs Dashboard:ConnectionString (or EXECDASH_CONNECTION_STRING)")]
    [InlineData("--Dashboard:RetentionDays=-1", "Dashboard:RetentionDays must be between 0 (keep everything) and 36500, not -1.")]
    [InlineData("--Dashboard:ReplicaName=rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr", "Dashboard:ReplicaName must be at most 128 characters without control characters, like 'db-host:5150'.")]
    public async Task A_store_setting_that_cannot_work_stops_the_start_with_one_sentence(string setting, string sentence)
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        try
        {
            var (exitCode, error) = await RunAsync("--port", "0", $"--Dashboard:DataDirectory={data}", setting);
            Assert.Equal(2, exitCode);
            Assert.Contains(sentence, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task An_unreachable_postgresql_server_stops_the_start_with_one_sentence()
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        try
        {
            var environment = new Dictionary<string, string>(Tokens)
            {
                ["Dashboard__Store"] = "postgres",
                ["EXECDASH_CONNECTION_STRING"] = "Host=127.0.0.1;Port=1;Database=execdash;Username=execdash;Password=not-shown;Timeout=5",
            };
            var (exitCode, error) = await RunAsync(environment, "--port", "0", $"--Dashboard:DataDirectory={data}");
            Assert.Equal(4, exitCode);
            Assert.StartsWith("execdashboard: Cannot reach the PostgreSQL server at 127.0.0.1:1 (", error, StringComparison.Ordinal);
            Assert.EndsWith("start it or correct Dashboard:ConnectionString.", error.TrimEnd(), StringComparison.Ordinal);
            Assert.DoesNotContain("not-shown", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("short", "test-collector-token-9876543210", "The browser token (token from environment variable EXECDASH_TOKEN) is too weak")]
    [InlineData("0123456789abcdef0123456789abcde", "test-collector-token-9876543210", "is too weak (about 124 bits, at least 128 needed)")]
    [InlineData("test-browser-token-0123456789", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "The collector token (token from environment variable EXECDASH_COLLECTOR_TOKEN) is too weak")]
    [InlineData("same-token-for-both-doors-0123456789", "same-token-for-both-doors-0123456789", "The browser token and the collector token are the same")]
    public async Task Weak_or_equal_tokens_stop_the_start_with_one_sentence(string browserToken, string collectorToken, string sentence)
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        try
        {
            var (exitCode, error) = await RunAsync(
                new Dictionary<string, string> { ["EXECDASH_TOKEN"] = browserToken, ["EXECDASH_COLLECTOR_TOKEN"] = collectorToken },
                "--port", "0", $"--Dashboard:DataDirectory={data}");
            Assert.Equal(2, exitCode);
            Assert.Contains(sentence, error, StringComparison.Ordinal);
            Assert.DoesNotContain(browserToken, error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("http://0.0.0.0:{0}")]
    [InlineData("http://*:{0}")]
    [InlineData("http://127.0.0.1:{0};http://[::]:{0}")]
    public async Task Plain_http_beyond_loopback_stops_the_start_unless_explicitly_allowed(string urls)
    {
        var data = Directory.CreateTempSubdirectory("execdash-web-test-").FullName;
        try
        {
            var bound = string.Format(System.Globalization.CultureInfo.InvariantCulture, urls, FreePort());
            var (exitCode, error) = await RunAsync(Tokens, "--urls", bound, $"--Dashboard:DataDirectory={data}");
            Assert.Equal(2, exitCode);
            Assert.Contains("Refusing to serve plain HTTP beyond loopback", error, StringComparison.Ordinal);
            Assert.Contains("--Dashboard:AllowPlainHttpOnNetwork=true", error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Plain_http_beyond_loopback_when_allowed_starts_with_a_warning()
    {
        await using var server = await Support.DashboardServer.StartAsync("--urls", $"http://0.0.0.0:{FreePort()}", "--Dashboard:AllowPlainHttpOnNetwork=true");
        Assert.Contains("WARNING: serving plain HTTP beyond loopback", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loopback_http_starts_without_a_warning()
    {
        await using var server = await Support.DashboardServer.StartAsync();
        Assert.DoesNotContain("WARNING", server.Output, StringComparison.Ordinal);
    }

    private static readonly Dictionary<string, string> Tokens = new()
    {
        ["EXECDASH_TOKEN"] = Support.DashboardServer.BrowserToken,
        ["EXECDASH_COLLECTOR_TOKEN"] = Support.DashboardServer.CollectorToken,
    };

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task<(int ExitCode, string Error)> RunAsync(params string[] args) => RunAsync(Tokens, args);

    private static async Task<(int ExitCode, string Error)> RunAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        start.ArgumentList.Add(Support.DashboardServer.WebAssemblyPath());
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        try
        {
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
