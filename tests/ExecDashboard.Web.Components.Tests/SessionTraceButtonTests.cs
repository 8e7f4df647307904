using ExecDashboard.TestSupport.Scenarios;
using ExecDashboard.Web.Components.Tests.Support;
using SessionsPage = ExecDashboard.Web.Components.Pages.Sessions;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>The Sessions page offers a trace only for a session the trace API would build (Dashboard:MaxTraceProcesses).</summary>
public sealed class SessionTraceButtonTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new(configure: o => o.MaxTraceProcesses = 2);

    [Fact]
    public void A_session_with_more_execs_than_a_trace_holds_says_why_instead_of_linking_the_refusal()
    {
        var now = _ctx.Time.GetUtcNow();
        var small = _ctx.Import("Small", [Execs.Of(1, "/bin/a", ["a"], now), Execs.Of(2, "/bin/b", ["b"], now)]);
        var large = _ctx.Import("Large", [Execs.Of(3, "/bin/a", ["a"], now), Execs.Of(4, "/bin/b", ["b"], now), Execs.Of(5, "/bin/c", ["c"], now)]);
        _ctx.JSInterop.SetupModule("./Components/Pages/Sessions.razor.js");

        var cut = _ctx.Render<SessionsPage>();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=trace-session]").Count));
        var rows = cut.FindAll("tbody tr");
        var smallRow = rows.Single(r => r.QuerySelector("[data-testid=session-name]")!.TextContent == small.Name);
        var largeRow = rows.Single(r => r.QuerySelector("[data-testid=session-name]")!.TextContent == large.Name);
        Assert.Equal($"api/sessions/{small.Id}/trace", smallRow.QuerySelector("[data-testid=trace-session]")!.GetAttribute("href"));
        Assert.Null(smallRow.QuerySelector("[data-testid=trace-refused]"));

        var refused = largeRow.QuerySelector("[data-testid=trace-refused]")!;
        Assert.Equal("3 execs: more than a trace is built from (Dashboard:MaxTraceProcesses, 2 processes); export the session instead", refused.GetAttribute("title"));
        Assert.Null(largeRow.QuerySelector("[data-testid=trace-session]")!.GetAttribute("href"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
