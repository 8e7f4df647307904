using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.EndToEnd.Tests.Support;
using Microsoft.Playwright;

namespace ExecDashboard.EndToEnd.Tests;

/// <summary>
/// A logged-in browser visits a page of another local port. That page tries what a probe of the
/// dashboard once managed: plant a session with a no-cors text/plain POST, log the user out with
/// a form, and open the Blazor circuit's WebSocket. All are refused, while the same browser on the
/// dashboard itself keeps working. Also: the login link leaves no token in the address bar or history.
/// </summary>
public sealed class CrossSiteInTheBrowserTests
{
    private const string Export = """
        {"format":"execdashboard-session","version":1,
         "session":{"id":"x","name":"planted","start":"2026-11-24T12:00:00+00:00","host":"h"},
         "exporter":{"name":"attacker","version":"1"},
         "events":[{"time":"2026-11-24T12:00:00+00:00","serial":1,"host":"h","pid":2,"ppid":1,"uid":0,"auid":0,
           "comm":"planted","exe":"/planted","argv":["planted"],"cwd":"/","success":true,"exit":0,"syscall":"execve",
           "arch":"x86_64","process":"b/2/2","parent":"b/1/1","ancestry":[]}]}
        """;

    [Fact]
    public async Task Another_local_origin_cannot_change_state_or_open_the_circuit_and_the_login_link_leaves_no_token_behind()
    {
        await using var dashboard = await DashboardProcess.StartAsync();
        var target = dashboard.BaseAddress.ToString().TrimEnd('/');
        using var attacker = new SecondOrigin(AttackPage(target));
        await using var chromium = await HeadlessChromium.StartAsync();
        var context = await chromium.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);

        // The login link: the token is posted, then gone from the address bar and from history.
        await page.GotoAsync(dashboard.LoginLink!.ToString());
        await Assertions.Expect(page.GetByTestId("feed-status")).ToBeVisibleAsync();
        Assert.Equal(dashboard.BaseAddress.ToString(), page.Url);
        // The entry before the dashboard is the tab's start (the link's page replaced its own
        // entry, posting while it loaded), or at most /login without the token.
        await page.GoBackAsync();
        Assert.DoesNotContain(DashboardProcess.BrowserToken, page.Url, StringComparison.Ordinal);
        Assert.DoesNotContain("t=", page.Url, StringComparison.Ordinal);
        await page.GotoAsync(dashboard.BaseAddress.ToString());
        await Assertions.Expect(page.GetByTestId("feed-status")).ToBeVisibleAsync();

        // The dashboard's own origin may import (with the proof header its pages send) and open the circuit.
        var own = await page.EvaluateAsync<JsonElement>(OwnOriginScript.Replace("'__EXPORT__'", JsonSerializer.Serialize(Export), StringComparison.Ordinal));
        Assert.Equal(201, own.GetProperty("import").GetInt32());
        Assert.Equal("open", own.GetProperty("ws").GetString());

        using var api = dashboard.ApiClient();
        var before = await SessionNamesAsync(api);

        var hostile = await context.NewPageAsync();
        await hostile.GotoAsync(attacker.Address.ToString());
        await hostile.WaitForFunctionAsync("() => window.done === true");
        var results = await hostile.EvaluateAsync<JsonElement>("() => window.results");

        Assert.Equal("refused", results.GetProperty("ws").GetString());
        Assert.StartsWith("error", results.GetProperty("corsImport").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await SessionNamesAsync(api));
        Assert.DoesNotContain("planted", await SessionNamesAsync(api));

        // The logout form the hostile page submitted did not end the login.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("feed-status")).ToBeVisibleAsync();
        await using var status = await context.APIRequest.GetAsync($"{target}/api/sessions");
        Assert.Equal(200, status.Status);
    }

    private const string OwnOriginScript = """
        async () => {
          const body = await (await fetch('/api/sessions/import?name=own', { method: 'POST', body: '__EXPORT__', headers: { 'X-ExecDashboard-Request': '1' } })).status;
          const ws = await new Promise(resolve => {
            const socket = new WebSocket(location.origin.replace('http', 'ws') + '/_blazor');
            socket.onopen = () => { socket.close(); resolve('open'); };
            socket.onerror = () => resolve('refused');
          });
          return { import: body, ws };
        }
        """;

    private static string AttackPage(string target) => $$"""
        <!DOCTYPE html><html><body>
        <iframe name="sink" style="display:none"></iframe>
        <form id="logout" method="post" action="{{target}}/logout" target="sink"></form>
        <script>
        window.results = {};
        (async () => {
          const exportBody = {{JsonSerializer.Serialize(Export)}};
          for (let i = 0; i < 3; i++) {
            try {
              await fetch('{{target}}/api/sessions/import?name=planted', { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'Content-Type': 'text/plain' }, body: exportBody });
              window.results.noCorsImport = 'sent';
            } catch (e) { window.results.noCorsImport = 'error ' + e; }
          }
          try {
            await fetch('{{target}}/api/sessions/import?name=planted', { method: 'POST', credentials: 'include', headers: { 'X-ExecDashboard-Request': '1' }, body: exportBody });
            window.results.corsImport = 'sent';
          } catch (e) { window.results.corsImport = 'error ' + e; }
          window.results.ws = await new Promise(resolve => {
            const socket = new WebSocket('{{target.Replace("http://", "ws://", StringComparison.Ordinal)}}/_blazor');
            socket.onopen = () => { socket.close(); resolve('open'); };
            socket.onerror = () => resolve('refused');
          });
          document.getElementById('logout').submit();
          await new Promise(resolve => setTimeout(resolve, 500));
          window.done = true;
        })();
        </script></body></html>
        """;

    private static async Task<string[]> SessionNamesAsync(HttpClient api) =>
        [.. (await api.GetFromJsonAsync<JsonElement[]>("/api/sessions"))!.Select(s => s.GetProperty("name").GetString()!)];
}
