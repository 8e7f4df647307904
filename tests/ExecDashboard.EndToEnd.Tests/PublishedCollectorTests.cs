using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
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
                // bash -c SCRIPT NAME: NAME is $0, so the exec names this test.
                var start = new ProcessStartInfo("/usr/bin/bash") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath(), ArgumentList = { "--noprofile", "--norc", "-c", "exit 3", $"execdash-published-{Guid.NewGuid():N}" } };
                int pid;
                using (var exits3 = Process.Start(start) ?? throw new InvalidOperationException("bash did not start."))
                {
                    await exits3.WaitForExitAsync();
                    Assert.Equal(3, exits3.ExitCode);
                    pid = exits3.Id;
                }

                await WaitForEndAsync(dashboard, pid, collector);
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

    /// <summary>Waits until the dashboard stored the end of the process with <paramref name="pid"/>, exit code 3.</summary>
    private static async Task WaitForEndAsync(DashboardProcess dashboard, int pid, CollectorProcess collector)
    {
        using var api = dashboard.ApiClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (true)
            {
                var found = await api.GetFromJsonAsync<JsonElement[]>(new Uri($"api/processes?pid={pid}&exe=bash", UriKind.Relative), timeout.Token);
                var ended = found?.Where(p => p.GetProperty("state").GetString() == "ended").Select(p => (JsonElement?)p).FirstOrDefault();
                if (ended is { } process)
                {
                    Assert.Equal(3, process.GetProperty("exitCode").GetInt32());
                    return;
                }

                await Task.Delay(200, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"The dashboard stored no end of process {pid} within 60 s. The collector said:\n{collector.Stderr}");
        }
    }
}
