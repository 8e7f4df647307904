using System.Diagnostics;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>What the user sees when the collector cannot run: one sentence on stderr, a non-zero exit, no stack trace.</summary>
public sealed class CollectorErrorTests
{
    [Fact]
    public async Task A_wrong_option_is_one_sentence_and_exit_status_2()
    {
        var (status, stderr) = await RunAsync(null, "--output", "xml");

        Assert.Equal(2, status);
        Assert.Equal(["execdash-collector: --output must be one of text, jsonl, none, not 'xml'."], stderr);
    }

    [Fact]
    public async Task A_missing_log_is_one_sentence_and_exit_status_1()
    {
        var (status, stderr) = await RunAsync(null, "--source", "file", "--file", "/nonexistent/audit.log");

        Assert.Equal(1, status);
        Assert.Equal(["execdash-collector: The audit log /nonexistent/audit.log does not exist."], stderr);
    }

    [Fact]
    public async Task Without_privilege_the_netlink_source_says_what_it_needs_in_one_sentence()
    {
        // As user nobody (setpriv from util-linux): the kernel refuses the audit socket before anything changes.
        var (status, stderr) = await RunAsync(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp"], "--output", "jsonl");

        Assert.Equal(1, status);
        var line = Assert.Single(stderr);
        Assert.StartsWith("execdash-collector: ", line, StringComparison.Ordinal);
        Assert.Contains("needs root or CAP_AUDIT_CONTROL", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stops_when_the_reader_of_its_output_goes_away()
    {
        // `collector --follow ... | head -1`: once head has exited, the next write fails with EPIPE and the collector ends.
        var fixtures = Oracle.RepositoryPaths.AuditFixtures;
        var log = Path.Combine(Directory.CreateTempSubdirectory("execdash-epipe-").FullName, "audit.log");
        File.Copy(Path.Combine(fixtures, "go-libaudit", "normal.log"), log);
        var start = new ProcessStartInfo(Host()) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "execdash-collector.dll"), "--source", "file", "--file", log, "--follow", "--output", "jsonl" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The collector did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.NotNull(await process.StandardOutput.ReadLineAsync());
        process.StandardOutput.Close();

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!process.HasExited && !timeout.IsCancellationRequested)
        {
            await File.AppendAllTextAsync(log, await File.ReadAllTextAsync(Path.Combine(fixtures, "laurel", "record-execve.txt")));
            await Task.Delay(500);
        }

        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("Standard output was closed", await stderr, StringComparison.Ordinal);
        Directory.Delete(Path.GetDirectoryName(log)!, recursive: true);
    }

    private static string Host() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";

    private static async Task<(int Status, string[] Stderr)> RunAsync(string[]? prefix, params string[] arguments)
    {
        string[] command = [.. prefix ?? [], Host(), Path.Combine(AppContext.BaseDirectory, "execdash-collector.dll"), .. arguments];
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("The collector did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        Assert.Equal(string.Empty, await stdout);
        return (process.ExitCode, stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
