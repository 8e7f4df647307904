using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

public sealed class HotWindowTests
{
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

    private static StoredExec Stored(int id, long session) => new(id, session, TestEvents.Expr((ulong)id));
}
