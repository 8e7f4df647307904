using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace ExecDashboard.LatencyBench;

/// <summary>
/// The live feed in a real browser, filtered to the probe program, with a MutationObserver that
/// notes the browser's wall-clock time (<c>performance.timeOrigin + performance.now()</c>, the
/// same clock as the kernel's on one machine) when each probe's marker first shows in the page.
/// </summary>
internal sealed class FeedWatch(IPage page)
{
    // Blazor may insert a row or rewrite the text of rows already there: watch both, and scan the
    // (filtered, so short) feed text once per batch of mutations.
    private const string ObserverScript = """
        () => {
          window.__seen = {};
          const note = () => {
            const now = performance.timeOrigin + performance.now();
            const text = document.body.textContent;
            for (const m of text.matchAll(/LPROBE(\d+)X/g)) {
              if (!(m[1] in window.__seen)) window.__seen[m[1]] = now;
            }
          };
          new MutationObserver(note).observe(document.body, { childList: true, subtree: true, characterData: true });
          note();
        }
        """;

    public static async Task<FeedWatch> OpenAsync(IBrowser browser, Uri dashboard, string token, string probeName)
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync(new Uri(dashboard, $"/login?t={Uri.EscapeDataString(token)}").ToString());
        await page.GotoAsync(new Uri(dashboard, $"/?exe={Uri.EscapeDataString(probeName)}&fold=off").ToString());

        // The circuit is up when the interactive feed says what it follows.
        await page.GetByText("following").First.WaitForAsync(new() { Timeout = 60_000 });
        await page.EvaluateAsync(ObserverScript);
        return new FeedWatch(page);
    }

    /// <summary>Probe number → Unix milliseconds when its row first appeared.</summary>
    public async Task<IReadOnlyDictionary<int, double>> SeenAsync()
    {
        // As a string: Playwright's own serialization of an object adds bookkeeping keys.
        using var json = JsonDocument.Parse(await page.EvaluateAsync<string>("() => JSON.stringify(window.__seen)"));
        return json.RootElement.EnumerateObject().ToDictionary(p => int.Parse(p.Name, CultureInfo.InvariantCulture), p => p.Value.GetDouble());
    }
}
