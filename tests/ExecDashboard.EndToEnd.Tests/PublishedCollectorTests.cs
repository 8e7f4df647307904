using System.Diagnostics;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// The collector as it is installed: published (one native executable, compiled ahead of time),
/// which runs none of the build's JIT-compiled code and may use nothing that emits code at run
/// time. It collects a real exec and that process's end from the real kernel and ships both to a
/// real dashboard, which stores the end with its exit code.
/// </summary>
public sealed class PublishedCollectorTests
{
    [Fact]
    public async Task The_published_collector_ships_an_exec_and_its_end_from_the_real_kernel()
    {
        CollectorProcess.RequireRoot();
        var output = Directory.CreateTempSubdirectory("execdash-e2e-published-collector-").FullName;
        try
        {
            var published = await PublishAsync(output);
            using var auditLock = KernelAuditLock.Acquire();
            await using var dashboard = await DashboardProcess.StartAsync();
            var collector = await CollectorProcess.StartAsync(dashboard.BaseAddress, published);
            try
            {
                var pid = await EndedProcess.RunAsync("exit 3", "execdash-published");
                await EndedProcess.WaitForEndAsync(dashboard, pid, () => collector.Stderr);
                Assert.False(collector.HasExited, $"The published collector stopped:\n{collector.Stderr}");
            }
            finally
            {
                await collector.DisposeAsync();
            }

            Assert.DoesNotContain("Exception", collector.Stderr, StringComparison.Ordinal);
            CollectorProcess.AssertNoRulesLeft(await CollectorProcess.InstalledRulesAsync());
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    /// <summary>Publishes the collector as the README says, into <paramref name="output"/>; returns the executable.</summary>
    private static async Task<string> PublishAsync(string output)
    {
        var project = Path.Combine(RepositoryRoot.Find().FullName, "src", "ExecDashboard.Collector");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "publish", project, "-c", "Release", "-o", output, "-v", "quiet", "-nologo" })
        {
            start.ArgumentList.Add(arg);
        }

        using var publish = Process.Start(start) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = publish.StandardOutput.ReadToEndAsync();
        var stderr = publish.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await publish.WaitForExitAsync(timeout.Token);
        Assert.True(publish.ExitCode == 0, $"dotnet publish failed:\n{await stdout}\n{await stderr}");

        var executable = Path.Combine(output, "execdash-collector");
        Assert.True(File.Exists(executable), $"The publish wrote no {executable}.");

        // Native: an ELF executable of its own, with no managed entry assembly beside it to run on a JIT.
        Assert.False(File.Exists(Path.Combine(output, "execdash-collector.dll")), "The collector was published as a .NET assembly, not as a native executable.");
        return executable;
    }
}
