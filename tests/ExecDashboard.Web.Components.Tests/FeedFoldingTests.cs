using ExecDashboard.Domain.Events;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Components.Model;
using ExecDashboard.Web.Components.Pages;
using ExecDashboard.Web.Components.Tests.Support;
using ExecDashboard.Web.Storage;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace ExecDashboard.Web.Components.Tests;

/// <summary>During a storm, consecutive execs of one parent and program fold into one row with a count and an argument template.</summary>
public sealed class FeedFoldingTests : IAsyncLifetime
{
    private readonly DashboardTestContext _ctx = new();

    private DateTimeOffset Now => _ctx.Time.GetUtcNow();

    [Fact]
    public void Folds_consecutive_execs_of_one_parent_and_program_with_an_argument_template()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        var storm = Storm(bash, 1553);
        var rows = Stored([bash, .. storm, Execs.Of(5, "/bin/true", ["true"], Now.AddSeconds(9))]);

        var items = FeedFolding.Fold(rows, new HashSet<long>());

        Assert.Equal(3, items.Count);
        Assert.Equal("/bin/true", items[0].Exec!.Event.Exec.Exe);
        var fold = items[1].Fold!;
        Assert.Equal("expr ×1,553 [N + 1]", fold.Label);
        Assert.Equal(1553, fold.Members.Count);
        Assert.Equal("/usr/bin/bash", items[2].Exec!.Event.Exec.Exe);
    }

    [Fact]
    public void Short_runs_other_parents_and_other_programs_stay_rows_of_their_own()
    {
        var a = Execs.Of(800, "/usr/bin/bash", ["bash", "a"], Now);
        var b = Execs.Of(900, "/usr/bin/bash", ["bash", "b"], Now);
        ExecEvent[] events =
        [
            .. Storm(a, 2),
            .. Storm(b, 3),
            Execs.Of(7, "/usr/bin/expr", ["expr", "9", "+", "1"], Now, ancestry: [a.AsAncestor(), Execs.Init]),
            Execs.Of(8, "/bin/sed", ["sed", "1"], Now, ancestry: [a.AsAncestor(), Execs.Init]),
        ];

        var items = FeedFolding.Fold(Stored(events), new HashSet<long>());

        // Newest first: sed, the lone expr (next to b's, another parent), b's three, a's two.
        Assert.Equal([false, false, true, false, false], items.Select(i => i.Fold is not null));
        Assert.Equal("expr ×3 [N + 1]", items[2].Fold!.Label);
        Assert.Equal(b.Process, items[2].Fold!.Newest.Event.Parent);
    }

    [Fact]
    public void An_expanded_fold_lists_its_members_after_it()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash"], Now);
        var rows = Stored(Storm(bash, 4));
        var key = FeedFolding.Fold(rows, new HashSet<long>())[0].Fold!.Key;

        var items = FeedFolding.Fold(rows, new HashSet<long> { key });

        Assert.Equal(5, items.Count);
        Assert.All(items.Skip(1), i => Assert.True(i.InFold));
        Assert.Equal(rows.Select(r => r.Id), items.Skip(1).Select(i => i.Exec!.Id));
    }

    [Fact]
    public async Task The_feed_folds_a_storm_into_one_row_that_expands_keeps_growing_live_and_can_be_switched_off()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash", "/usr/sbin/sendmail", "-t"], Now);
        await _ctx.AppendAsync([bash, .. Storm(bash, 40)]);

        var cut = _ctx.Render<Feed>();

        cut.WaitForAssertion(() => Assert.Equal("expr ×40 [N + 1]", cut.Find("[data-testid=feed-fold-label]").TextContent));
        Assert.Single(cut.FindAll("[data-testid=feed-row]"));
        Assert.Contains("41 execs", cut.Find("[data-testid=feed-status]").TextContent, StringComparison.Ordinal);

        // Live: more of the same storm grow the same row.
        await _ctx.AppendAsync(Storm(bash, 10, firstPid: 3000, first: 41));
        _ctx.PassNotifyInterval();
        cut.WaitForAssertion(() => Assert.Equal("expr ×50 [N + 1]", cut.Find("[data-testid=feed-fold-label]").TextContent));

        await cut.InvokeAsync(() => cut.Find("[data-testid=feed-fold]").Click());
        cut.WaitForAssertion(() => Assert.Equal(51, cut.FindAll("[data-testid=feed-row]").Count));
        Assert.Equal(50, cut.FindAll(".feed-member").Count);

        await cut.InvokeAsync(() => cut.Find(".mud-switch input").Change(false));
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=feed-fold]")));
        Assert.Equal(51, cut.FindAll("[data-testid=feed-row]").Count);
        Assert.Empty(cut.FindAll(".feed-member"));
    }

    [Fact]
    public async Task Fold_off_in_the_address_lists_every_exec()
    {
        var bash = Execs.Of(800, "/usr/bin/bash", ["bash"], Now);
        await _ctx.AppendAsync([bash, .. Storm(bash, 5)]);
        _ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("?fold=off");

        var cut = _ctx.Render<Feed>();

        cut.WaitForAssertion(() => Assert.Equal(6, cut.FindAll("[data-testid=feed-row]").Count));
        Assert.Empty(cut.FindAll("[data-testid=feed-fold]"));
    }

    private ExecEvent[] Storm(ExecEvent parent, int count, int firstPid = 2000, int first = 1) =>
        [.. Enumerable.Range(0, count).Select(i => Execs.Of(firstPid + i, "/usr/bin/expr", ["expr", (first + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "+", "1"],
            Now.AddMilliseconds(first + i), ancestry: [parent.AsAncestor(), Execs.Init]))];

    /// <summary>As the feed lists them: newest first, ids in arrival order.</summary>
    private static List<StoredExec> Stored(IEnumerable<ExecEvent> events) =>
        [.. events.Select((e, i) => new StoredExec(i + 1, 1, e)).Reverse()];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _ctx.CloseAsync();
}
