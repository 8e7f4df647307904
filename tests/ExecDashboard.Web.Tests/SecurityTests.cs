using System.Net;
using System.Text.Json;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

public sealed class SecurityTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_answers_without_a_token_and_says_a_token_is_needed()
    {
        using var client = _server.Client(bearer: null);
        using var response = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"authRequired\":true", body, StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardServer.BrowserToken, body, StringComparison.Ordinal);
        Assert.DoesNotContain(DashboardServer.CollectorToken, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    [InlineData(DashboardServer.CollectorToken)]
    public async Task Api_refuses_a_missing_or_wrong_token_with_401_and_a_sentence(string? token)
    {
        using var client = _server.Client(bearer: token);
        using var response = await client.GetAsync("/api/sessions");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("token", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Api_answers_with_the_bearer_token()
    {
        using var client = _server.Client();
        using var response = await client.GetAsync("/api/sessions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Ui_refuses_a_browser_without_the_cookie()
    {
        using var client = _server.Client(bearer: null);
        using var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("login link", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_link_sets_the_cookie_that_opens_the_dashboard()
    {
        Assert.Contains($"{_server.BaseAddress.ToString().TrimEnd('/')}/login?t={DashboardServer.BrowserToken}", _server.Output, StringComparison.Ordinal);
        using var browser = await BrowserLogin.LogInAsync(_server);
        Assert.Equal("/", browser.LandedOn);
        Assert.Single(browser.Cookies.GetCookies(_server.BaseAddress), c => c.Name == ".ExecDashboard.Auth");

        using var page = await browser.Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("ExecDashboard", html, StringComparison.Ordinal);
        Assert.Contains("Live feed", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_with_a_wrong_token_is_refused_and_sets_no_cookie()
    {
        using var browser = BrowserLogin.Anonymous(_server);
        using var login = await browser.PostLoginAsync("guess");
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        Assert.Contains("token is wrong", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(browser.Cookies.GetCookies(_server.BaseAddress), c => c.Name == ".ExecDashboard.Auth");
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData(DashboardServer.BrowserToken)]
    public async Task Hub_refuses_anything_but_the_collector_token(string token)
    {
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => CollectorConnections.ConnectAsync(_server, token));
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task Hub_accepts_the_collector_token_and_a_live_session_records_while_it_is_connected()
    {
        using var client = _server.Client();
        long id;
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            Assert.Equal(HubConnectionState.Connected, connection.State);
            var live = await WaitForAsync(async () => (await DashboardApi.SessionsAsync(client)).SingleOrDefault(s => s.GetProperty("active").GetBoolean()));
            id = live.GetProperty("id").GetInt64();
            Assert.Equal(JsonValueKind.Null, live.GetProperty("ended").ValueKind);
        }

        var ended = await WaitForAsync(async () => (await DashboardApi.SessionsAsync(client)).SingleOrDefault(s => s.GetProperty("id").GetInt64() == id && s.GetProperty("ended").ValueKind != JsonValueKind.Null));
        Assert.False(ended.GetProperty("active").GetBoolean());
    }

    private static async Task<JsonElement> WaitForAsync(Func<Task<JsonElement>> probe)
    {
        for (var i = 0; i < 100; i++)
        {
            var found = await probe();
            if (found.ValueKind != JsonValueKind.Undefined)
            {
                return found;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The session did not reach the expected state within 10 s.");
    }

    [Fact]
    public async Task Static_assets_need_no_token()
    {
        using var client = _server.Client(bearer: null);
        using var css = await client.GetAsync("/css/app.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        using var mud = await client.GetAsync("/_content/MudBlazor/MudBlazor.min.css");
        Assert.Equal(HttpStatusCode.OK, mud.StatusCode);
    }
}
