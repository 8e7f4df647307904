using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
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
    public void The_duration_summary_names_the_first_and_last_run_with_an_end_and_how_many_times_longer_the_last_took()
    {
        var t0 = DateTimeOffset.UnixEpoch;
        ProcessEnd End(int ms) => new() { Process = new ProcessKey("b", ms, ms), Started = t0, Time = t0.AddMilliseconds(ms), Status = ExitStatus.Exited(0) };

        Assert.Equal(
            "Run #13 took 4 ms, run #15 400 ms (100× as long); the 2 runs 404 ms together.",
            Rates.DurationSummary([null, null, End(4), null, End(400)], droppedRuns: 10));
        Assert.Null(Rates.DurationSummary([null, End(4)], droppedRuns: 0));
    }

    [Fact]
    public async Task Ranks_the_busiest_program_first_with_its_runs_chain_and_growing_children_per_run()
    {
        var start = _ctx.Time.GetUtcNow().AddSeconds(-30);
        var loop = SendmailLoopEvents.Create(start, TimeSpan.FromMilliseconds(100), queueSizes: [10, 20, 40]);
        var quiet = Execs.Of(60, "/usr/bin/cron", ["cron"], start);
        var cronChild = Execs.Of(61, "/bin/sh", ["sh", "-c", "run-parts"], start.AddSeconds(1), ancestry: [quiet.AsAncestor(), Execs.Init]);
        await _ctx.AppendAsync([.. loop.Events, quiet, cronChild]);

        var cut = _ctx.Render<Rates>();

        // Programs, not processes: the three sendmail runs are one row, then esmtp-wrapper, cron and systemd.
        cut.WaitForAssertion(() => Assert.Equal(4, cut.FindAll("[data-testid=program-row]").Count));
        var top = cut.FindAll("[data-testid=program-row]")[0];
        Assert.Equal("bash /usr/sbin/sendmail -t", top.QuerySelector("[data-testid=program-label]")!.TextContent);
        Assert.Contains("systemd → esmtp-wrapper → bash /usr/sbin/sendmail -t ×3", top.QuerySelector(".rates-chain")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("3", top.QuerySelector("[data-testid=program-runs]")!.TextContent);
        Assert.Equal("70", top.QuerySelector("[data-testid=program-children]")!.TextContent);
        Assert.Equal("1.17", top.QuerySelector("[data-testid=program-per-second]")!.TextContent);
        Assert.StartsWith("growing", top.QuerySelector("[data-testid=program-growth]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(top.QuerySelector("[data-testid=sparkline] polyline"));

        // The first program is selected: its verdict, its newest runs (links to the process view), no text dump of counts.
        Assert.StartsWith("growing", cut.Find("[data-testid=growth-verdict]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("bash /usr/sbin/sendmail -t", cut.Find("[data-testid=selected-program]").TextContent);
        var runs = cut.FindAll("[data-testid=run-row]");
        Assert.Equal(3, runs.Count);
        Assert.Contains("#3", runs[0].TextContent, StringComparison.Ordinal);
        Assert.Contains(loop.Runs[2].Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), runs[0].QuerySelector("a")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=invocation-counts]"));
    }

    [Fact]
    public async Task One_storm_alert_per_program_however_many_of_its_processes_storm()
    {
        var start = _ctx.Time.GetUtcNow().AddSeconds(-5);
        var loop = SendmailLoopEvents.Create(start, TimeSpan.FromMilliseconds(10), queueSizes: [100, 100, 100]);
        await _ctx.AppendAsync([.. loop.Events]);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("rates?storm=5");

        var cut = _ctx.Render<Rates>();

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=storm-alert]")));
        var alert = cut.Find("[data-testid=storm-alert]").TextContent;
        Assert.Contains("program bash /usr/sbin/sendmail -t at 30 execs/s", alert, StringComparison.Ordinal);
        Assert.Contains("3 runs", alert, StringComparison.Ordinal);
        Assert.Contains("started from systemd → esmtp-wrapper → bash /usr/sbin/sendmail -t", alert, StringComparison.Ordinal);
        Assert.Contains("spawning expr (300)", alert, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_storm_alert_below_the_threshold()
    {
        var start = _ctx.Time.GetUtcNow().AddSeconds(-5);
        await _ctx.AppendAsync([.. SendmailLoopEvents.Create(start, TimeSpan.FromMilliseconds(20), queueSizes: [100]).Events]);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("rates?storm=50");

        var cut = _ctx.Render<Rates>();

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=program-row]")));
        Assert.Empty(cut.FindAll("[data-testid=storm-alert]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
