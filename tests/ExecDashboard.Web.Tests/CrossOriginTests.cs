using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using ExecDashboard.Contracts;
using ExecDashboard.Web.Authentication;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// State changes made with the login cookie need a same-origin proof and an own-origin Origin;
/// the Blazor circuit and the collector hub refuse browser connections from other origins; bearer
/// requests (API clients) need neither.
/// </summary>
public sealed class CrossOriginTests : IAsyncLifetime
{
    private const string OtherOrigin = "http://127.0.0.1:1";
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private string OwnOrigin => _server.BaseAddress.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task A_simple_cross_origin_import_with_the_cookie_is_refused_and_plants_nothing()
    {
        using var browser = await BrowserLogin.LogInAsync(_server);
        using var api = _server.Client();
        var before = (await DashboardApi.SessionsAsync(api)).Length;

        // What a no-cors fetch from another local port sends: text/plain, the cookie, its Origin.
        using var planted = await SendImportAsync(browser.Client, origin: OtherOrigin, fetchSite: "same-site", proof: false);
        Assert.Equal(HttpStatusCode.Forbidden, planted.StatusCode);
        Assert.Contains("another origin", await planted.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Even with the header (which a cross-origin page could only send after a preflight we never grant).
        using var withHeader = await SendImportAsync(browser.Client, origin: OtherOrigin, fetchSite: null, proof: true);
        Assert.Equal(HttpStatusCode.Forbidden, withHeader.StatusCode);

        Assert.Equal(before, (await DashboardApi.SessionsAsync(api)).Length);
    }

    [Fact]
    public async Task A_same_origin_import_with_the_cookie_needs_the_proof_header()
    {
        using var browser = await BrowserLogin.LogInAsync(_server);
        using var noProof = await SendImportAsync(browser.Client, origin: OwnOrigin, fetchSite: "same-origin", proof: false);
        Assert.Equal(HttpStatusCode.Forbidden, noProof.StatusCode);
        Assert.Contains(SameOriginGuard.ProofHeader, await noProof.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var withProof = await SendImportAsync(browser.Client, origin: OwnOrigin, fetchSite: "same-origin", proof: true);
        Assert.Equal(HttpStatusCode.Created, withProof.StatusCode);
    }

    [Fact]
    public async Task Rename_and_delete_with_the_cookie_need_the_proof_header()
    {
        using var api = _server.Client();
        using var imported = await api.PostAsync("/api/sessions/import", new ByteArrayContent(await SessionFiles.ExportAsync([TestEvents.Expr(30_001)])));
        var id = (await JsonBody.ReadAsync(imported)).GetProperty("id").GetInt64();
        using var browser = await BrowserLogin.LogInAsync(_server);

        using var rename = new HttpRequestMessage(HttpMethod.Put, $"/api/sessions/{id}") { Content = new StringContent("""{"name":"x"}""", MediaTypeHeaderValue.Parse("application/json")) };
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.SendAsync(rename)).StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{id}");
        delete.Headers.Add("Origin", OtherOrigin);
        delete.Headers.Add(SameOriginGuard.ProofHeader, "1");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.SendAsync(delete)).StatusCode);
        using var logout = new HttpRequestMessage(HttpMethod.Post, "/logout");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.SendAsync(logout)).StatusCode);

        using var ownDelete = new HttpRequestMessage(HttpMethod.Delete, $"/api/sessions/{id}");
        ownDelete.Headers.Add("Origin", OwnOrigin);
        ownDelete.Headers.Add(SameOriginGuard.ProofHeader, "1");
        Assert.Equal(HttpStatusCode.NoContent, (await browser.Client.SendAsync(ownDelete)).StatusCode);
    }

    [Fact]
    public async Task Bearer_requests_need_no_proof()
    {
        using var api = _server.Client();
        using var imported = await api.PostAsync("/api/sessions/import", new ByteArrayContent(await SessionFiles.ExportAsync([TestEvents.Expr(30_002)])));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
    }

    [Theory]
    [InlineData("/_blazor")]
    [InlineData(CollectorHubContract.Path)]
    public async Task WebSockets_from_another_origin_are_refused_and_from_our_own_are_not(string path)
    {
        using var browser = await BrowserLogin.LogInAsync(_server);
        var cookie = browser.Cookies.GetCookieHeader(_server.BaseAddress);
        var url = new UriBuilder(_server.BaseAddress) { Scheme = "ws", Path = path }.Uri;

        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", OtherOrigin);
        foreign.Options.SetRequestHeader("Cookie", cookie);
        foreign.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(url, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        // Same request from our own origin gets past the origin check (the hub or circuit then
        // wants its own handshake, hence anything but 403).
        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", OwnOrigin);
        own.Options.SetRequestHeader("Cookie", cookie);
        own.Options.CollectHttpResponseDetails = true;
        try
        {
            await own.ConnectAsync(url, CancellationToken.None);
        }
        catch (WebSocketException)
        {
            // Refused later for a missing connection id or token, not for its origin.
        }

        Assert.NotEqual(HttpStatusCode.Forbidden, own.HttpStatusCode);
    }

    [Fact]
    public async Task The_circuit_negotiation_from_another_origin_is_refused()
    {
        using var browser = await BrowserLogin.LogInAsync(_server);
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        foreign.Headers.Add("Origin", OtherOrigin);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.Client.SendAsync(foreign)).StatusCode);

        using var own = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
        own.Headers.Add("Origin", OwnOrigin);
        Assert.Equal(HttpStatusCode.OK, (await browser.Client.SendAsync(own)).StatusCode);
    }

    private static async Task<HttpResponseMessage> SendImportAsync(HttpClient client, string origin, string? fetchSite, bool proof)
    {
        var body = await SessionFiles.ExportAsync([TestEvents.Expr(30_000)]);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions/import") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("text/plain");
        request.Headers.Add("Origin", origin);
        if (fetchSite is not null)
        {
            request.Headers.Add("Sec-Fetch-Site", fetchSite);
        }

        if (proof)
        {
            request.Headers.Add(SameOriginGuard.ProofHeader, "1");
        }

        return await client.SendAsync(request);
    }
}
