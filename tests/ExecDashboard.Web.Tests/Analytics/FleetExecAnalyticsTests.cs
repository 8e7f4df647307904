using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Rates;
using ExecDashboard.TestSupport.Scenarios;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace ExecDashboard.Web.Tests.Analytics;

/// <summary>
/// A host's analytics answer as if they had observed that host's events alone, also when they were
/// the fleet's own while the host was the only one (<see cref="FleetExecAnalytics"/>).
/// </summary>
public sealed class FleetExecAnalyticsTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
    private static readonly IOptions<DashboardOptions> Options = Microsoft.Extensions.Options.Options.Create(new DashboardOptions { StormThresholdPerSecond = 5 });

    [Fact]
    public void A_hosts_analytics_keep_its_events_only_after_a_second_host_shows_up()
    {
        var time = new FakeTimeProvider(Start);
        var fleet = new FleetExecAnalytics(time, Options, NullLogger<LiveExecAnalytics>.Instance);
        var aloneA = new LiveExecAnalytics(time, Options, NullLogger<LiveExecAnalytics>.Instance);
        var aloneB = new LiveExecAnalytics(time, Options, NullLogger<LiveExecAnalytics>.Instance);
        var a = Hosted(SendmailLoopEvents.Create(Start, TimeSpan.FromMilliseconds(20), "aaaa0001", 30, 60, 90, 120, 150), "alpha");
        var b = Hosted(SendmailLoopEvents.Create(Start.AddSeconds(2), TimeSpan.FromMilliseconds(10), "bbbb0002", 40, 80), "beta");

        // Alpha alone for a while; its view, asked for then, must stay alpha's after beta comes.
        var firstA = a.Take(200).ToList();
        Observe(fleet, firstA, 50);
        Observe(aloneA, firstA, 50);
        var viewA = fleet.ForHost("alpha");
        Assert.Equal(Answers(aloneA, a), Answers(viewA, a));

        // A batch of both hosts, then more of each.
        var mixed = a.Skip(200).Take(40).Concat(b.Take(30)).ToList();
        fleet.Observe(mixed);
        aloneA.Observe([.. a.Skip(200).Take(40)]);
        aloneB.Observe([.. b.Take(30)]);
        Observe(fleet, a.Skip(240).ToList(), 64);
        Observe(aloneA, a.Skip(240).ToList(), 64);
        Observe(fleet, b.Skip(30).ToList(), 64);
        Observe(aloneB, b.Skip(30).ToList(), 64);

        Assert.Equal(Answers(aloneA, a), Answers(viewA, a));
        Assert.Equal(Answers(aloneA, a), Answers(fleet.ForHost("alpha"), a));
        Assert.Equal(Answers(aloneB, b), Answers(fleet.ForHost("beta"), b));

        // The fleet itself has both: each sendmail run's children, alpha's and beta's.
        Assert.Equal(
            fleet.TopPrograms(Whole(fleet), 10).Sum(p => p.Children),
            aloneA.TopPrograms(Whole(aloneA), 10).Sum(p => p.Children) + aloneB.TopPrograms(Whole(aloneB), 10).Sum(p => p.Children));
    }

    [Fact]
    public void A_host_asked_for_before_any_event_gets_its_events()
    {
        var time = new FakeTimeProvider(Start);
        var fleet = new FleetExecAnalytics(time, Options, NullLogger<LiveExecAnalytics>.Instance);
        var alone = new LiveExecAnalytics(time, Options, NullLogger<LiveExecAnalytics>.Instance);
        var view = fleet.ForHost("alpha");
        var a = Hosted(SendmailLoopEvents.Create(Start, TimeSpan.FromMilliseconds(20), "aaaa0001", 30, 60), "alpha");
        Observe(fleet, a, 25);
        Observe(alone, a, 25);

        Assert.Equal(Answers(alone, a), Answers(view, a));
        Assert.Null(fleet.ForHost("gamma").Recorded);
    }

    private static List<ExecEvent> Hosted(SendmailLoopEvents loop, string host) =>
        [.. loop.Events.Select(e => e with { Exec = e.Exec with { Host = host } })];

    private static void Observe(IExecAnalytics analytics, IReadOnlyList<ExecEvent> events, int batch)
    {
        for (var i = 0; i < events.Count; i += batch)
        {
            analytics.Observe([.. events.Skip(i).Take(batch)]);
        }
    }

    private static TimeRange Whole(IExecAnalytics analytics) => analytics.Recorded ?? throw new InvalidOperationException("Nothing recorded.");

    /// <summary>Everything the analytics answer about <paramref name="events"/>' parents and programs, as JSON to compare.</summary>
    private static string Answers(IExecAnalytics analytics, IReadOnlyList<ExecEvent> events)
    {
        var range = Whole(analytics);
        var parents = events.Select(e => e.Parent).Concat(events.Select(e => e.Process)).Distinct().ToList();
        var programs = analytics.TopPrograms(range, 20);
        var answers = new
        {
            analytics.Now,
            analytics.Recorded,
            Top = analytics.TopParents(TimeSpan.FromMinutes(1), 20),
            Programs = programs,
            Rates = programs.Select(p => analytics.RateOf(p.Program, range)),
            Series = programs.Select(p => analytics.SeriesOf(p.Program, range, TimeSpan.FromSeconds(1))),
            Parents = parents.Select(p => new
            {
                Program = analytics.ProgramOf(p),
                Invocations = analytics.InvocationsOf(p),
                Rate = analytics.SeriesOf(p, TimeSpan.FromMinutes(1), TimeSpan.FromSeconds(10)),
            }),
        };
        return JsonSerializer.Serialize(answers);
    }
}
