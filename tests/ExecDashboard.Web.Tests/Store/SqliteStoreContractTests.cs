using ExecDashboard.Domain.Events;
using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The store contract on the SQLite engine, a fresh database file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _data = Directory.CreateTempSubdirectory("execdash-store-").FullName;

    private protected override IStoreEngine OpenEngine() =>
        new SqliteEventStore(DashboardPaths.Resolve(new DashboardOptions { DataDirectory = _data }), TimeProvider.System);

    [Fact]
    public void An_event_whose_parts_are_all_shared_already_is_kept_as_it_came()
    {
        var store = Open();
        var live = LiveSession(store);
        var first = Assert.Single(store.StoreCollectorBatch(Batch(live, 1, [TestEvents.Expr(1, Now)]))).Event;

        // The next exec as the hub's conversion hands it over: strings, boots and ancestry are the
        // instances the store already keeps.
        var next = TestEvents.Expr(2, Now.AddSeconds(1));
        next = next with
        {
            Exec = next.Exec with { Host = first.Exec.Host, Comm = first.Exec.Comm, Exe = first.Exec.Exe, Cwd = first.Exec.Cwd, Syscall = first.Exec.Syscall, Arch = first.Exec.Arch, Argv = first.Exec.Argv },
            Process = next.Process with { Boot = first.Process.Boot },
            Parent = first.Parent,
            Ancestry = first.Ancestry,
        };
        var kept = Assert.Single(store.StoreCollectorBatch(Batch(live, 2, [next]))).Event;

        Assert.Same(next, kept);
    }

    private protected override void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
