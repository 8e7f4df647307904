using System.Net;
using Microsoft.AspNetCore.Antiforgery;

namespace ExecDashboard.Web.Authentication;

/// <summary>
/// The login page. With a token (the printed link) it replaces its own history entry with
/// <c>/login</c> before anything else, then posts the token, so the token stays neither in the
/// address bar nor in the browser's history; without one it is a form that posts.
/// </summary>
internal static class LoginPage
{
    public static string Render(AntiforgeryTokenSet form, string? token, string returnUrl)
    {
        var exchange = !string.IsNullOrEmpty(token);
        var field = WebUtility.HtmlEncode(form.FormFieldName);
        var formToken = WebUtility.HtmlEncode(form.RequestToken ?? string.Empty);
        var value = WebUtility.HtmlEncode(token ?? string.Empty);
        var target = WebUtility.HtmlEncode(returnUrl);
        var input = exchange
            ? $"""<input type="hidden" name="t" value="{value}">"""
            : """<input name="t" type="password" size="60" autofocus aria-label="Token">""";
        var script = exchange
            ? """<script>history.replaceState(null, '', '/login'); document.getElementById('login').submit();</script>"""
            : string.Empty;
        var hint = exchange
            ? "Logging in…"
            : "Paste the token printed when the dashboard started (or the content of its token file).";
        return $"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="referrer" content="same-origin"><title>ExecDashboard login</title></head>
            <body style="font-family: sans-serif; margin: 3em">
            <h1>ExecDashboard</h1>
            <p>{hint}</p>
            <form id="login" method="post" action="/login">{input}<input type="hidden" name="returnUrl" value="{target}"><input type="hidden" name="{field}" value="{formToken}"> <button type="submit">Log in</button></form>
            {script}
            </body></html>
            """;
    }
}
