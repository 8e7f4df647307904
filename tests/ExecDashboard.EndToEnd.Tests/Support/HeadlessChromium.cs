using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Debian's Chromium, started by us (so we hold its PID and stop it by that PID), driven by
/// Playwright over the DevTools protocol. Never downloads a browser.
/// </summary>
internal sealed partial class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private static readonly string[] Flags =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--remote-debugging-port=0", "--window-size=1400,900",
    ];

    private readonly Process _process;
    private readonly string _profile;

    private HeadlessChromium(Process process, string profile, IPlaywright playwright, IBrowser browser)
    {
        _process = process;
        _profile = profile;
        Playwright = playwright;
        Browser = browser;
    }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    public int Pid => _process.Id;

    public static async Task<HeadlessChromium> StartAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing: install Debian's chromium package (apt-get install -y chromium).");
        }

        // The browser tests run beside the other test assemblies on as few as two cores, where a
        // page that analyses a quarter of a million execs can take longer than the default five
        // seconds. Assertions wait for a condition, so a longer bound only delays a real failure.
        Assertions.SetDefaultExpectTimeout(30_000);

        var profile = Directory.CreateTempSubdirectory("execdash-e2e-chromium-").FullName;
        var start = new ProcessStartInfo(ExecutablePath) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var flag in Flags)
        {
            start.ArgumentList.Add(flag);
        }

        start.ArgumentList.Add($"--user-data-dir={profile}");
        start.ArgumentList.Add("about:blank");
        var process = new Process { StartInfo = start };
        var endpoint = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null && DevToolsPattern().Match(e.Data) is { Success: true } m)
            {
                endpoint.TrySetResult(m.Groups[1].Value);
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        IPlaywright? playwright = null;
        try
        {
            var ws = await endpoint.Task.WaitAsync(TimeSpan.FromSeconds(60));
            playwright = await Microsoft.Playwright.Playwright.CreateAsync();
            var browser = await playwright.Chromium.ConnectOverCDPAsync(ws);
            return new HeadlessChromium(process, profile, playwright, browser);
        }
        catch
        {
            playwright?.Dispose();
            Stop(process);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Browser.CloseAsync();
        }
        finally
        {
            Playwright.Dispose();
            Stop(_process);
            try
            {
                Directory.Delete(_profile, recursive: true);
            }
            catch (IOException)
            {
                // Chromium may still be writing its profile; the OS's temp cleanup takes it.
            }
        }
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.WaitForExit(30_000);
        process.Dispose();
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsPattern();
}
