using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ExecDashboard.EndToEnd.Tests.Support;
using ExecDashboard.TestSupport.Recordings;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// The story at real scale: the generator writes 224 runs of the sendmail wrapper (10, 20, 30, ...
/// <c>expr</c> children, 252,672 execs) as a raw auditd log; it is imported through the API of the
/// real dashboard, and both the API and the Rates page in headless Chromium name the wrapper's
/// program first, growing and quadratic, with one storm alert for it. Timings and memory are
/// printed, never asserted.
/// </summary>
public sealed partial class SendmailAtScaleTests(ITestOutputHelper output)
{
    private const string Program = "bash /usr/sbin/sendmail -t";

    private static string WorkDirectory => Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "e2e-work", "scale")).FullName;

    [Fact]
    public async Task A_recording_of_hundreds_of_sendmail_runs_names_the_wrapper_program_growing_and_quadratic()
    {
        var log = Path.Combine(WorkDirectory, "sendmail-at-scale.log");
        SendmailRecording recording;
        await using (var writer = new StreamWriter(log))
        {
            recording = SendmailRecording.WriteAtScale(writer, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero));
        }

        Assert.True(recording.Runs.Count >= 200 && recording.Execs >= 250_000, $"The recording is too small to prove anything: {recording.Runs.Count} runs, {recording.Execs} execs.");
        var browserLog = new List<string>();
        DashboardProcess? dashboard = null;
        HeadlessChromium? chromium = null;
        try
        {
            dashboard = await DashboardProcess.StartAsync(settings: ["--Dashboard:MaxImportBytes=1073741824"]);
            using var api = dashboard.ApiClient();
            api.Timeout = TimeSpan.FromMinutes(10);

            var clock = Stopwatch.StartNew();
            await using (var body = File.OpenRead(log))
            {
                using var response = await api.PostAsync(new Uri("api/sessions/import?name=sendmail%20at%20scale", UriKind.Relative), new StreamContent(body));
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
                var session = await response.Content.ReadFromJsonAsync<JsonElement>();
                Assert.Equal(recording.Execs, session.GetProperty("events").GetInt64());
                output.WriteLine($"Import of {recording.Execs:N0} execs ({new FileInfo(log).Length / 1048576.0:0} MiB raw log): {clock.Elapsed.TotalSeconds:0.0} s");
            }

            output.WriteLine($"Dashboard memory after the import: {ResidentMiB(dashboard.Pid):0} MiB resident");
            var id = (await api.GetFromJsonAsync<JsonElement[]>(new Uri("api/sessions", UriKind.Relative)))!
                .Single(s => s.GetProperty("name").GetString() == "sendmail at scale").GetProperty("id").GetInt64();

            // The Rates page of the session by its address, in a real browser; opened first, so the
            // time includes analysing the recording (252,672 execs replayed once, then kept).
            chromium = await HeadlessChromium.StartAsync();
            var page = await BrowserTestRun.OpenPageAsync(chromium, browserLog, new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1100 } }, 60_000);
            await page.GotoAsync(dashboard.LoginLink!.ToString());
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync(" execs");

            clock.Restart();
            await page.GotoAsync(new Uri(dashboard.BaseAddress, $"rates?session={id}").ToString());
            var row = page.GetByTestId("program-row").First;
            await Assertions.Expect(row.GetByTestId("program-label")).ToHaveTextAsync(Program);
            output.WriteLine($"Rates page of the session open, cold (program row shown): {clock.Elapsed.TotalSeconds:0.0} s");
            await Assertions.Expect(row.GetByTestId("program-runs")).ToHaveTextAsync(recording.Runs.Count.ToString(CultureInfo.InvariantCulture));
            await Assertions.Expect(row.GetByTestId("program-growth")).ToContainTextAsync("growing, quadratic (k ≈ ");
            var exponent = ExponentText().Match(await row.GetByTestId("program-growth").InnerTextAsync());
            Assert.InRange(double.Parse(exponent.Groups[1].Value, CultureInfo.InvariantCulture), 1.8, 2.2);
            await Assertions.Expect(page.GetByTestId("storm-alert")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("storm-program")).ToHaveTextAsync(Program);
            await Assertions.Expect(page.Locator(".session-picker input").First).ToHaveValueAsync("sendmail at scale");
            await Assertions.Expect(page.GetByTestId("growth-verdict")).ToContainTextAsync("growing, quadratic");
            await page.WaitForTimeoutAsync(500);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots.Directory, "rates-at-scale.png"), FullPage = true });

            // A link inside the app keeps the session; a reload shows the same view.
            await page.GetByRole(AriaRole.Link, new() { Name = "Live feed" }).ClickAsync();
            // The feed's own address, not merely one with the session: /rates?session=ID matches
            // that too, and a reload before the click's navigation lands would reload the Rates page.
            await Assertions.Expect(page).ToHaveURLAsync(new Regex($@"^{Regex.Escape(dashboard.BaseAddress.ToString())}\?session={id}$"));
            clock.Restart();
            await page.ReloadAsync();

            // How long the feed of a quarter of a million stored execs takes: printed, not asserted.
            await Assertions.Expect(page.GetByTestId("feed-status")).ToContainTextAsync($"session {id}", new() { Timeout = 60_000 });
            output.WriteLine($"Feed of the session after a reload: {clock.Elapsed.TotalSeconds:0.0} s");

            // The API: the wrapper's program first, every run counted, growing and quadratic.
            var programs = (await api.GetFromJsonAsync<JsonElement[]>(new Uri($"api/rates/programs?session={id}&top=5", UriKind.Relative)))!;
            var top = programs[0];
            Assert.Equal(Program, top.GetProperty("program").GetString());
            Assert.Equal(recording.Runs.Count, top.GetProperty("runs").GetInt64());
            Assert.Equal(recording.Runs.Sum(r => (long)r.Children), top.GetProperty("children").GetInt64());
            Assert.Equal(recording.Runs.Select(r => (long)r.Children), top.GetProperty("childrenPerRun").EnumerateArray().Select(c => c.GetInt64()));
            Assert.Equal("Growing", top.GetProperty("verdict").GetString());
            Assert.Equal("quadratic", top.GetProperty("shape").GetString());
            Assert.InRange(top.GetProperty("exponent").GetDouble(), 1.8, 2.2);
            Assert.Equal("sudo → " + Program, top.GetProperty("chains")[0].GetProperty("chain").GetString());
            Assert.Equal("/usr/bin/expr", top.GetProperty("topChildren")[0].GetProperty("exe").GetString());

            // One storm, the program's, however many of its processes stormed.
            var storms = (await api.GetFromJsonAsync<JsonElement[]>(new Uri($"api/rates/storms?session={id}", UriKind.Relative)))!;
            Assert.Equal(Program, Assert.Single(storms).GetProperty("program").GetString());

            // Parents of a stored session, no longer [] (the last minute of the recording).
            var parents = (await api.GetFromJsonAsync<JsonElement[]>(new Uri($"api/rates/parents?session={id}&window=60", UriKind.Relative)))!;
            Assert.Equal("/usr/bin/bash", parents[0].GetProperty("exe").GetString());

            output.WriteLine($"Dashboard memory after the Rates page and the API (recording analysed): {ResidentMiB(dashboard.Pid):0} MiB resident");
        }
        catch (Exception) when (dashboard is not null)
        {
            await BrowserTestRun.KeepEvidenceAsync(WorkDirectory, dashboard, browserLog);
            throw;
        }
        finally
        {
            await BrowserTestRun.StopAsync(chromium, dashboard);

            File.Delete(log);
        }
    }

    private static double ResidentMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    [GeneratedRegex(@"k ≈ ([0-9.]+)")]
    private static partial Regex ExponentText();
}
