using System.Net;
using System.Text.RegularExpressions;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>
/// Logs in the way a browser does (GET the login page for its form token, POST the token) and
/// keeps the cookies, so tests can act as a logged-in browser without a bearer header.
/// </summary>
internal sealed partial class BrowserLogin : IDisposable
{
    private readonly HttpClientHandler _handler;

    private BrowserLogin(Uri baseAddress)
    {
        Cookies = new CookieContainer();
        _handler = new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false };
        Client = new HttpClient(_handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public CookieContainer Cookies { get; }

    public HttpClient Client { get; }

    /// <summary>The Location of the login's answer (a 303).</summary>
    public string? LandedOn { get; private set; }

    public static async Task<BrowserLogin> LogInAsync(DashboardServer server, string token = DashboardServer.BrowserToken, string? returnUrl = null)
    {
        var login = new BrowserLogin(server.BaseAddress);
        using var answer = await login.PostLoginAsync(token, returnUrl);
        if (answer.StatusCode != HttpStatusCode.SeeOther)
        {
            login.Dispose();
            throw new InvalidOperationException($"Login answered {(int)answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        }

        login.LandedOn = answer.Headers.Location?.OriginalString;
        return login;
    }

    public static BrowserLogin Anonymous(DashboardServer server) => new(server.BaseAddress);

    /// <summary>GET /login for the form token, then POST the form as the page would.</summary>
    public async Task<HttpResponseMessage> PostLoginAsync(string token, string? returnUrl = null)
    {
        var page = await Client.GetStringAsync("/login");
        var field = FormTokenField().Match(page);
        if (!field.Success)
        {
            throw new InvalidOperationException($"The login page has no form token:\n{page}");
        }

        var form = new Dictionary<string, string>
        {
            ["t"] = token,
            ["returnUrl"] = returnUrl ?? "/",
            [WebUtility.HtmlDecode(field.Groups["name"].Value)] = WebUtility.HtmlDecode(field.Groups["value"].Value),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/login") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("Origin", Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        return await Client.SendAsync(request);
    }

    public void Dispose()
    {
        Client.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>__RequestVerificationToken[^"]*)" value="(?<value>[^"]*)">""")]
    private static partial Regex FormTokenField();
}
