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

    private static async Task<(int ExitCode, string Error)> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
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
