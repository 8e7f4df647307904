using System.Net;
using ExecDashboard.Web.Authentication;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

/// <summary>Logins that can end: logout, a new token, the login link out of history, safe redirects.</summary>
public sealed class LoginTests
{
    [Fact]
    public async Task The_login_link_sets_no_cookie_and_answers_a_page_that_drops_the_token_from_history_and_posts_it()
    {
        await using var server = await DashboardServer.StartAsync();
        using var browser = BrowserLogin.Anonymous(server);
        using var link = await browser.Client.GetAsync($"/login?t={DashboardServer.BrowserToken}");
        Assert.Equal(HttpStatusCode.OK, link.StatusCode);
        Assert.DoesNotContain(browser.Cookies.GetCookies(server.BaseAddress), c => c.Name == ".ExecDashboard.Auth");
        Assert.Contains("no-store", link.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var html = await link.Content.ReadAsStringAsync();
        Assert.Contains("history.replaceState(null, '', '/login')", html, StringComparison.Ordinal);
        Assert.Contains("""<form id="login" method="post" action="/login">""", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_manual_login_form_posts()
    {
        await using var server = await DashboardServer.StartAsync();
        using var browser = BrowserLogin.Anonymous(server);
        var html = await browser.Client.GetStringAsync("/login");
        Assert.Contains("""method="post" action="/login">""", html, StringComparison.Ordinal);
        Assert.Contains("""<input name="t" type="password""", html, StringComparison.Ordinal);
        Assert.DoesNotContain("method=\"get\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_ends_the_login_on_the_server_so_a_copy_of_the_cookie_is_refused()
    {
        await using var server = await DashboardServer.StartAsync();
        using var browser = await BrowserLogin.LogInAsync(server);
        var cookie = browser.Cookies.GetCookieHeader(server.BaseAddress);
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(server, cookie));

        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        logout.Headers.Add(SameOriginGuard.ProofHeader, "1");
        using var loggedOut = await browser.Client.SendAsync(logout);
        Assert.Equal(HttpStatusCode.SeeOther, loggedOut.StatusCode);

        // The copy kept from before logout still decrypts, but the server no longer knows its login.
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(server, cookie));
    }

    [Fact]
    public async Task A_restart_with_a_new_token_ends_every_login_and_one_with_the_same_token_keeps_them()
    {
        await using var server = await DashboardServer.StartAsync();
        using var browser = await BrowserLogin.LogInAsync(server);
        var cookie = browser.Cookies.GetCookieHeader(server.BaseAddress);

        await server.StopAsync();
        await server.StartAgainAsync();
        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(server, cookie));

        await server.StopAsync();
        await using var renewed = await server.WithBrowserTokenAsync("a-new-browser-token-after-a-leak-4242");
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(renewed, cookie));
    }

    [Theory]
    [InlineData("/\\evil.example", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\/evil.example/x", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("/%09/evil.example", "/%09/evil.example")]
    [InlineData("/rates?storm=5", "/rates?storm=5")]
    [InlineData("/process/abc/1/2", "/process/abc/1/2")]
    public async Task After_login_the_browser_goes_only_to_a_path_of_this_site(string returnUrl, string expected)
    {
        await using var server = await DashboardServer.StartAsync();
        using var browser = await BrowserLogin.LogInAsync(server, returnUrl: returnUrl);
        Assert.Equal(expected, browser.LandedOn);
    }

    [Theory]
    [InlineData("/\\host", false)]
    [InlineData("//host", false)]
    [InlineData("/a\\b", false)]
    [InlineData("/\t/host", false)]
    [InlineData("http://host/", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("/", true)]
    [InlineData("/sessions", true)]
    [InlineData("/?under=b/1/2", true)]
    public void Local_redirects_are_paths_of_this_site_only(string? url, bool safe) =>
        Assert.Equal(safe, LocalRedirect.IsSafe(url));

    private static async Task<HttpStatusCode> StatusWithCookieAsync(DashboardServer server, string cookieHeader)
    {
        using var client = server.Client(bearer: null);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.Add("Cookie", cookieHeader);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
