using System.Net;
using System.Text;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// Another origin on the same machine: a small web server on another loopback port serving one
/// page, as a hostile local program (or any other local web app) could. Same site as the
/// dashboard (only the port differs), so SameSite cookies do not keep the browser's cookie out.
/// </summary>
internal sealed class SecondOrigin : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly string _page;
    private readonly Task _serving;

    public SecondOrigin(string page)
    {
        _page = page;
        Port = DashboardProcess.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}/");

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _serving.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The listener was closed under a pending accept.
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var body = Encoding.UTF8.GetBytes(_page);
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }
}
