using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport.Recordings;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// The real collector replaying an auditd log (<c>--source file</c>, no <c>--follow</c>) into a
/// dashboard: it ends only when the dashboard stored all of it, and says so; with no dashboard it
/// ends in one sentence with a failing status and the spool keeps the events.
/// </summary>
public sealed class CollectorReplayTests
{
    [Fact]
    public async Task A_replayed_log_is_stored_whole_before_the_collector_exits_0()
    {
        var work = Directory.CreateTempSubdirectory("execdash-e2e-replay-").FullName;
        try
        {
            var log = Path.Combine(work, "audit.log");
            SendmailRecording recording;
            await using (var writer = new StreamWriter(log))
            {
                recording = SendmailRecording.Write(writer, runs: 40, n => 10 * n, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
            }

            await using var dashboard = await DashboardProcess.StartAsync();
            var (exit, stderr) = await ReplayAsync(log, dashboard.BaseAddress, Path.Combine(work, "spool"));

            Assert.True(exit == 0, $"The collector exited {exit}:\n{stderr}");
            Assert.Contains($"{recording.Execs} events read, {recording.Execs} acknowledged by the dashboard", stderr, StringComparison.Ordinal);

            // Nothing was waiting for a later start: the dashboard already holds every event.
            using var client = dashboard.ApiClient();
            var sessions = await client.GetFromJsonAsync<JsonElement[]>("api/sessions") ?? [];
            Assert.Equal(recording.Execs, sessions.Sum(s => s.GetProperty("events").GetInt64()));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task A_replay_larger_than_its_spool_without_a_dashboard_stops_in_one_sentence_and_the_spool_keeps_what_it_read()
    {
        var work = Directory.CreateTempSubdirectory("execdash-e2e-replay-").FullName;
        try
        {
            var log = Path.Combine(work, "audit.log");
            await using (var writer = new StreamWriter(log))
            {
                // 50,500 execs: more than a replay's spool and queues hold, so the reading itself
                // has to give up rather than wait for room for ever.
                SendmailRecording.Write(writer, runs: 100, n => 10 * n, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
            }

            // A port nothing listens on.
            var nowhere = new Uri($"http://127.0.0.1:{DashboardProcess.FreePort()}/");
            var spool = Path.Combine(work, "spool");
            var (exit, stderr) = await ReplayAsync(log, nowhere, spool);

            Assert.Equal(1, exit);
            var last = stderr.TrimEnd().Split('\n')[^1];
            Assert.Contains("acknowledged nothing for 30 s", last, StringComparison.Ordinal);
            Assert.Contains("those that fit the spool stay there and are sent on the next start", last, StringComparison.Ordinal);
            Assert.Contains("replay the log again for the rest", last, StringComparison.Ordinal);
            Assert.NotEmpty(Directory.GetFiles(spool, "segment-*"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<(int Exit, string Stderr)> ReplayAsync(string log, Uri server, string spool)
    {
        var root = RepositoryRoot.Find();
        var baseDir = new DirectoryInfo(AppContext.BaseDirectory);
        var collector = Path.Combine(root.FullName, "src", "ExecDashboard.Collector", "bin", baseDir.Parent!.Name, baseDir.Name, "execdash-collector.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { collector, "--source", "file", "--file", log, "--server", server.ToString().TrimEnd('/'), "--spool", spool })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["EXECDASH_COLLECTOR_TOKEN"] = DashboardProcess.CollectorToken;
        using var process = new Process { StartInfo = start };
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        lock (stderr)
        {
            return (process.ExitCode, stderr.ToString());
        }
    }
}
