using ExecDashboard.TestSupport.Scenarios;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

public sealed class RatesTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    [Fact]
    public async Task Ranks_the_busiest_parent_first_labelled_by_its_chain_with_growing_children_per_invocation()
    {
        var start = _ctx.Time.GetUtcNow().AddSeconds(-30);
        var loop = SendmailLoopEvents.Create(start, TimeSpan.FromMilliseconds(100), queueSizes: [10, 20, 40]);
        var quiet = Execs.Of(60, "/usr/bin/cron", ["cron"], start);
        var cronChild = Execs.Of(61, "/bin/sh", ["sh", "-c", "run-parts"], start.AddSeconds(1), ancestry: [Execs.AsAncestor(quiet), Execs.Init]);
        await _ctx.AppendAsync([.. loop.Events, quiet, cronChild]);

        var cut = _ctx.Render<Rates>();

        // The three sendmail runs, esmtp-wrapper (3 runs), cron (1 child) and systemd (cron).
        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("[data-testid=rate-row]").Count));
        var rows = cut.FindAll("[data-testid=rate-row]");
        Assert.StartsWith("bash(", rows[0].QuerySelector("[data-testid=rate-parent]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("[/usr/sbin/sendmail -t]", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("-- esmtp-wrapper(7000)[--queue] -- systemd(1)", rows[0].QuerySelector(".rates-chain")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("0.67", rows[0].QuerySelector("[data-testid=rate-per-second]")!.TextContent);
        Assert.Contains("10, 20, 40: growing", rows[0].QuerySelector("[data-testid=rate-growth]")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("bash(", rows[1].QuerySelector("[data-testid=rate-parent]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("0.33", rows[1].QuerySelector("[data-testid=rate-per-second]")!.TextContent);
        Assert.Contains("growing", cut.Find("[data-testid=growth-verdict]").TextContent, StringComparison.Ordinal);
        Assert.Contains("10, 20, 40", cut.Find("[data-testid=invocation-counts]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Raises_a_storm_alert_naming_what_the_parent_spawns_once_it_passes_the_threshold()
    {
        var start = _ctx.Time.GetUtcNow().AddSeconds(-5);
        var loop = SendmailLoopEvents.Create(start, TimeSpan.FromMilliseconds(20), queueSizes: [100]);
        await _ctx.AppendAsync([.. loop.Events]);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("rates?storm=5");

        var cut = _ctx.Render<Rates>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=storm-alert]")));
        var alert = cut.Find("[data-testid=storm-alert]").TextContent;
        Assert.Contains("bash(20000)[/usr/sbin/sendmail -t] at 10 execs/s", alert, StringComparison.Ordinal);
        Assert.Contains("spawning expr (100)", alert, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_storm_alert_below_the_threshold()
    {
        var start = _ctx.Time.GetUtcNow().AddSeconds(-5);
        await _ctx.AppendAsync([.. SendmailLoopEvents.Create(start, TimeSpan.FromMilliseconds(20), queueSizes: [100]).Events]);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("rates?storm=50");

        var cut = _ctx.Render<Rates>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=rate-row]")));
        Assert.Empty(cut.FindAll("[data-testid=storm-alert]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
