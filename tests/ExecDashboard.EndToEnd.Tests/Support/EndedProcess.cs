using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>A real process that exits with code 3, and its end as the dashboard stores it.</summary>
internal static class EndedProcess
{
    public const int ExitCode = 3;

    /// <summary>Runs <c>bash -c SCRIPT NAME</c> to its end (NAME is $0, so the exec names the test); returns its pid.</summary>
    public static async Task<int> RunAsync(string script, string name)
    {
        var start = new ProcessStartInfo("/usr/bin/bash") { UseShellExecute = false, WorkingDirectory = Path.GetTempPath(), ArgumentList = { "--noprofile", "--norc", "-c", script, $"{name}-{Guid.NewGuid():N}" } };
        using var bash = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        await bash.WaitForExitAsync();
        Assert.Equal(ExitCode, bash.ExitCode);
        return bash.Id;
    }

    /// <summary>
    /// The key of the bash process with <paramref name="pid"/> once the dashboard stored its end
    /// (exit code 3); fails after 60 s, with <paramref name="context"/> (what the collector said).
    /// </summary>
    public static async Task<string> WaitForEndAsync(DashboardProcess dashboard, int pid, Func<string> context)
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
                    Assert.Equal(ExitCode, process.GetProperty("exitCode").GetInt32());
                    return process.GetProperty("key").GetString()!;
                }

                await Task.Delay(200, timeout.Token);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            Assert.Fail($"The dashboard stored no end of process {pid} within 60 s. The collector said:\n{context()}");
            throw;
        }
    }
}
