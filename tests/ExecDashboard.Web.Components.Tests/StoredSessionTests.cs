using ExecDashboard.TestSupport.Scenarios;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;
using SessionsPage = ExecDashboard.Web.Components.Pages.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>An imported recording opens in the same views as the live stream.</summary>
public sealed class StoredSessionTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    private ViewedSession Viewed => _ctx.Services.GetRequiredService<ViewedSession>();

    [Fact]
    public async Task The_feed_shows_the_chosen_session_instead_of_the_live_stream()
    {
        var now = _ctx.Time.GetUtcNow();
        await _ctx.AppendAsync(Execs.Of(1, "/bin/live", ["live"], now));
        var imported = _ctx.Import("Yesterday", [Execs.Of(2, "/bin/old", ["old"], now.AddDays(-1)), Execs.Of(3, "/bin/older", ["older"], now.AddDays(-1).AddSeconds(1))]);
        var cut = _ctx.Render<Feed>();
        cut.WaitForAssertion(() => Assert.Equal(["1"], Pids(cut)));

        await cut.InvokeAsync(() => Viewed.Show(imported.Id));

        cut.WaitForAssertion(() => Assert.Equal(["3", "2"], Pids(cut)));
        Assert.Contains($"session {imported.Id}", cut.Find("[data-testid=feed-status]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rates_of_a_recording_are_judged_as_of_its_last_exec()
    {
        // Recorded a day ago: the live windows hold nothing of it, the replay does.
        var loop = SendmailLoopEvents.Create(_ctx.Time.GetUtcNow().AddDays(-1), TimeSpan.FromMilliseconds(100), queueSizes: [5, 10, 15]);
        var imported = _ctx.Import("Sendmail loop", loop.Events);
        Viewed.Show(imported.Id);

        var cut = _ctx.Render<Rates>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=program-row]")));
        var top = cut.FindAll("[data-testid=program-row]")[0];
        Assert.Equal("bash /usr/sbin/sendmail -t", top.QuerySelector("[data-testid=program-label]")!.TextContent);
        Assert.StartsWith("growing", top.QuerySelector("[data-testid=program-growth]")!.TextContent, StringComparison.Ordinal);

        // The range is the recording's own: the whole seconds from its first exec to its last, not the last hour of the clock.
        var seconds = loop.Events[^1].Exec.Time.ToUnixTimeSeconds() - loop.Events[0].Exec.Time.ToUnixTimeSeconds() + 1;
        Assert.Contains($"({seconds} s)", cut.Find("[data-testid=range-text]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_from_the_sessions_page_opens_the_new_session_in_the_views()
    {
        var imported = _ctx.Import("Uploaded", [Execs.Of(9, "/bin/x", ["x"], _ctx.Time.GetUtcNow())]);
        var module = _ctx.JSInterop.SetupModule("./Components/Pages/Sessions.razor.js");
        module.Setup<SessionsPage.UploadResult>("upload", _ => true).SetResult(new SessionsPage.UploadResult(true, 201, string.Empty, imported.Id));
        var cut = _ctx.Render<SessionsPage>();

        // The list loads asynchronously and re-renders: find and click in one renderer turn.
        await cut.InvokeAsync(() => cut.Find("[data-testid=import-button]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Imported \"Uploaded\" with 1 execs", cut.Find("[data-testid=sessions-message]").TextContent, StringComparison.Ordinal));
        Assert.Equal(imported.Id, Viewed.SessionId);
    }

    [Fact]
    public async Task What_an_import_skipped_is_shown_beside_what_it_stored()
    {
        var imported = _ctx.Import("Partly readable", [Execs.Of(9, "/bin/x", ["x"], _ctx.Time.GetUtcNow())]);
        var module = _ctx.JSInterop.SetupModule("./Components/Pages/Sessions.razor.js");
        module.Setup<SessionsPage.UploadResult>("upload", _ => true)
            .SetResult(new SessionsPage.UploadResult(true, 201, string.Empty, imported.Id, "3 unreadable lines skipped; 1 exec stored with cut arguments."));
        var cut = _ctx.Render<SessionsPage>();

        await cut.InvokeAsync(() => cut.Find("[data-testid=import-button]").Click());

        cut.WaitForAssertion(() => Assert.Contains(
            "with 1 execs; the views now show it. Skipped: 3 unreadable lines skipped; 1 exec stored with cut arguments.",
            cut.Find("[data-testid=sessions-message]").TextContent,
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rejected_import_shows_the_servers_sentence_and_keeps_the_view()
    {
        var module = _ctx.JSInterop.SetupModule("./Components/Pages/Sessions.razor.js");
        module.Setup<SessionsPage.UploadResult>("upload", _ => true)
            .SetResult(new SessionsPage.UploadResult(false, 400, "The upload is neither a session export (JSON) nor an audit log this dashboard can read. Nothing was stored.", 0));
        var cut = _ctx.Render<SessionsPage>();

        // The list loads asynchronously and re-renders: find and click in one renderer turn.
        await cut.InvokeAsync(() => cut.Find("[data-testid=import-button]").Click());

        cut.WaitForAssertion(() => Assert.Contains("Nothing was stored.", cut.Find("[data-testid=sessions-message]").TextContent, StringComparison.Ordinal));
        Assert.Null(Viewed.SessionId);
    }

    [Fact]
    public async Task Renaming_a_session_shows_the_new_name()
    {
        var imported = _ctx.Import("Old name", [Execs.Of(9, "/bin/x", ["x"], _ctx.Time.GetUtcNow())]);
        var cut = _ctx.Render<SessionsPage>();
        cut.WaitForAssertion(() => Assert.Equal("Old name", cut.Find("[data-testid=session-name]").TextContent));

        await cut.InvokeAsync(() => cut.Find("[data-testid=rename-session]").Click());
        cut.Find("input[data-testid=rename-input]").Change("sendmail storm");
        cut.Find("input[data-testid=rename-input]").KeyUp(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });

        cut.WaitForAssertion(() => Assert.Equal("sendmail storm", cut.Find("[data-testid=session-name]").TextContent));
        Assert.Equal("sendmail storm", (await _ctx.Store.GetSessionAsync(imported.Id))!.Name);
    }

    private static string[] Pids(IRenderedComponent<Feed> cut) =>
        [.. cut.FindAll("[data-testid=feed-row]").Select(r => r.GetAttribute("data-pid")!)];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
