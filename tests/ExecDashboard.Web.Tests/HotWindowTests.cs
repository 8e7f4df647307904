using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Analytics;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Tests;

public sealed class HotWindowTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddSeconds(1_700_000_000);

    [Fact]
    public void Keeps_only_the_newest_events_up_to_its_capacity_newest_first()
    {
        var window = new HotWindow(capacity: 1_000);
        window.AddRange([.. Enumerable.Range(1, 2_500).Select(i => Stored(i, session: 1))]);

        var newest = window.Newest(ExecFilter.None, max: 5_000);

        Assert.Equal(1_000, newest.Count);
        Assert.Equal(2_500, newest[0].Id);
        Assert.Equal(1_501, newest[^1].Id);
        Assert.Equal(1_501, window.OldestId);
    }

    [Fact]
    public void Filters_by_exe_argv_pid_and_descendants_and_pages_by_id()
    {
        var window = new HotWindow(capacity: 1_000);
        window.AddRange([.. Enumerable.Range(1, 100).Select(i => Stored(i, session: 1))]);

        Assert.Equal(100, window.Newest(new ExecFilter { Exe = "EXPR" }, 1_000).Count);
        Assert.Single(window.Newest(new ExecFilter { ArgvText = "42" }, 1_000));
        Assert.Empty(window.Newest(new ExecFilter { Exe = "sendmail" }, 1_000));
        Assert.Equal(100, window.Newest(new ExecFilter { DescendantOf = TestEvents.Systemd.Key }, 1_000).Count);
        var one = TestEvents.Expr(7);
        Assert.Equal([7L], window.Newest(new ExecFilter { DescendantOf = one.Process }, 1_000).Select(e => e.Id));
        Assert.Equal([49L, 48L], window.Newest(ExecFilter.None, 2, beforeId: 50).Select(e => e.Id));
    }

    [Fact]
    public void Forgets_a_deleted_session_and_keeps_the_rest_in_order()
    {
        var window = new HotWindow(capacity: 1_000);
        window.AddRange([.. Enumerable.Range(1, 10).Select(i => Stored(i, session: i % 2))]);

        window.RemoveSession(0);

        Assert.Equal([9L, 7, 5, 3, 1], window.Newest(ExecFilter.None, 100).Select(e => e.Id));
    }

    [Fact]
    public void Holds_the_newest_ends_up_to_its_capacity_and_leaves_the_others_to_the_database()
    {
        var window = new HotWindow(capacity: 1_000);
        var ends = Enumerable.Range(1, 2_500).Select(i => End(TestEvents.Expr((ulong)i).Process, ExitStatus.Exited(i % 7 == 0 ? 1 : 0))).ToList();
        window.AddEnds(ends);
        window.AddEnds(ends[^10..]); // a resent batch

        var found = new Dictionary<ProcessKey, ProcessLifetime>();
        var rest = window.AddKnownLifetimes([ends[0].Process, ends[1_499].Process, ends[1_500].Process, ends[2_099].Process], found);

        Assert.Equal([ends[0].Process, ends[1_499].Process], rest);
        Assert.Equal(ends[1_500], found[ends[1_500].Process].End);
        Assert.True(found[ends[2_099].Process].Failed);
    }

    [Fact]
    public void Forgets_ends_that_retention_removed_and_all_held_ends_with_a_deleted_session()
    {
        var window = new HotWindow(capacity: 1_000);
        var old = End(TestEvents.Expr(1).Process, ExitStatus.Exited(0), at: T0.AddDays(-40));
        var recent = End(TestEvents.Expr(2).Process, ExitStatus.Exited(0), at: T0);
        window.AddEnds([old, recent]);

        window.RemoveOlderThan(T0.AddDays(-30));
        var found = new Dictionary<ProcessKey, ProcessLifetime>();
        Assert.Equal([old.Process], window.AddKnownLifetimes([old.Process, recent.Process], found));

        window.RemoveSession(1);
        Assert.Equal(2, window.AddKnownLifetimes([old.Process, recent.Process], found).Count);
    }

    [Fact]
    public async Task Lifetimes_of_processes_whose_ends_were_ingested_need_no_query_and_the_rest_still_come_from_the_database()
    {
        var data = Directory.CreateTempSubdirectory("execdash-hot-ends-").FullName;
        try
        {
            var options = Options.Create(new DashboardOptions { DataDirectory = data, HotWindowCapacity = 1_000 });
            var (engine, counts) = CountingStoreEngine.Wrap(new SqliteEventStore(DashboardPaths.Resolve(options.Value), TimeProvider.System));
            using var store = new ExecStore(engine, options, new LiveExecAnalytics(TimeProvider.System, options, NullLogger<LiveExecAnalytics>.Instance), TimeProvider.System, NullLogger<ExecStore>.Instance);
            var execs = Enumerable.Range(1, 20).Select(i => TestEvents.Expr((ulong)i)).ToArray();
            var ends = execs.Take(15).Select(e => End(e.Process, e.Process.Pid % 5 == 0 ? ExitStatus.Killed(9) : ExitStatus.Exited(0))).ToArray();
            store.AppendCollectorBatch("collector-1", TestEvents.Host, 1, 0, 0, execs, ends);

            var ended = await store.GetLifetimesAsync([.. execs.Take(15).Select(e => e.Process)]);
            Assert.Equal(0, counts.CallsOf(nameof(IStoreEngine.ReadEnds)));
            Assert.All(ended.Values, l => Assert.Equal(LifetimeState.Ended, l.State));
            Assert.Equal(ends.Count(e => e.Status.Failed), ended.Values.Count(l => l.Failed));

            var all = await store.GetLifetimesAsync([.. execs.Select(e => e.Process)]);
            Assert.Equal(1, counts.CallsOf(nameof(IStoreEngine.ReadEnds)));
            Assert.Equal(15, all.Values.Count(l => l.State == LifetimeState.Ended));
            Assert.Equal(5, all.Values.Count(l => l.State == LifetimeState.Running));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static ProcessEnd End(ProcessKey process, ExitStatus status, DateTimeOffset? at = null) => new()
    {
        Process = process,
        Started = (at ?? T0).AddMilliseconds(-5),
        Time = at ?? T0,
        Status = status,
    };

    private static StoredExec Stored(int id, long session) => new(id, session, TestEvents.Expr((ulong)id));
}
