using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// The collector as it is installed: published (one native executable, compiled ahead of time),
/// which runs none of the build's JIT-compiled code and may use nothing that emits code at run
/// time, and run as its systemd unit runs it, with memory that is writable and executable denied
/// (<c>MemoryDenyWriteExecute=yes</c>, see <see cref="WriteExecuteDenial"/>). It collects a real
/// exec and that process's end from the real kernel and ships both to a real dashboard, which
/// stores the end with its exit code.
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
            var launcher = await WriteExecuteDenial.BuildAsync(output);

            // The denial holds: a runtime that compiles code as it runs fails under it.
            var (jitExit, jitOutput) = await WriteExecuteDenial.RunUnderAsync(launcher, DotnetHost(), "--version");
            Assert.True(jitExit != 0, $"dotnet (a JIT) ran with writable, executable memory denied, so the denial denies nothing:\n{jitOutput}");

            using var auditLock = KernelAuditLock.Acquire();
            await using var dashboard = await DashboardProcess.StartAsync();
            var collector = await CollectorProcess.StartAsync(dashboard.BaseAddress, published, launcher);
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

    /// <summary>The <c>dotnet</c> the tests run with, by its full path (the launcher does not search PATH).</summary>
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host
        : (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "dotnet")).FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("No dotnet on PATH.");

    /// <summary>Publishes the collector as the README says, into <paramref name="output"/>; returns the executable.</summary>
    private static async Task<string> PublishAsync(string output)
    {
        var project = Path.Combine(RepositoryRoot.Find().FullName, "src", "ExecDashboard.Collector");
        var (exit, said) = await Command.RunAsync("dotnet", ["publish", project, "-c", "Release", "-o", output, "-v", "quiet", "-nologo"], TimeSpan.FromMinutes(10));
        Assert.True(exit == 0, $"dotnet publish failed:\n{said}");

        var executable = Path.Combine(output, "execdash-collector");
        Assert.True(File.Exists(executable), $"The publish wrote no {executable}.");

        // Native: an ELF executable of its own, with no managed entry assembly beside it to run on a JIT.
        Assert.False(File.Exists(Path.Combine(output, "execdash-collector.dll")), "The collector was published as a .NET assembly, not as a native executable.");
        return executable;
    }
}
