using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The store contract on the SQLite engine, a fresh database file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _data = Directory.CreateTempSubdirectory("execdash-store-").FullName;

    private protected override IStoreEngine OpenEngine() =>
        SqliteStores.In(_data);

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

    [Fact]
    public void Siblings_sharing_their_ancestors_store_what_siblings_with_copies_of_them_store()
    {
        // The hub's reader hands siblings one ancestry list of shared ancestors; the writer then
        // merges their times into the ancestors once per run of siblings. Copies (equal, not the
        // same instances) are merged event by event: both must leave the same rows. Times go back
        // and forth so that a merged first or last sighting shows, and the shared chain comes
        // back after another one, within a batch and in the next.
        var other = Ancestors.Of(new ProcessKey(TestEvents.Boot, 8100, 1100), "/usr/bin/make", "make");
        var shared = TestEvents.Expr(1).Ancestry;
        IReadOnlyList<Ancestor> otherChain = [other, TestEvents.Systemd];
        var offsets = new[] { 5, 2, 9, 1, 7, 3, 8, 6, 4, 0 };
        ExecEvent Event(int i, bool copies)
        {
            var e = TestEvents.Expr((ulong)i + 1, Now.AddSeconds(offsets[i]));
            var chain = i is 4 or 8 ? otherChain : shared;
            return e with
            {
                Parent = chain[0].Key,
                Ancestry = copies ? [.. chain.Select(a => a with { Argv = [.. a.Argv] })] : chain,
            };
        }

        var byShared = StoreInOtherDatabase(copies: false);
        var byCopies = StoreInOtherDatabase(copies: true);
        Assert.Equal(byCopies, byShared);
        Assert.Contains((TestEvents.Sendmail.Key, TestEvents.Systemd.Key, "/usr/bin/bash", Now, Now.AddSeconds(9)), byShared.Select(p => (p.Key, p.Parent, p.Exe, p.FirstSeen, p.LastSeen)));
        Assert.Contains((other.Key, TestEvents.Systemd.Key, "/usr/bin/make", Now.AddSeconds(4), Now.AddSeconds(7)), byShared.Select(p => (p.Key, p.Parent, p.Exe, p.FirstSeen, p.LastSeen)));

        List<(ProcessKey Key, int Pid, int Ppid, ProcessKey Parent, string Exe, string Argv, Provenance Provenance, DateTimeOffset FirstSeen, DateTimeOffset LastSeen)> StoreInOtherDatabase(bool copies)
        {
            var data = Directory.CreateTempSubdirectory("execdash-store-siblings-").FullName;
            try
            {
                using var store = SqliteStores.In(data);
                var live = LiveSession(store);
                var events = Enumerable.Range(0, offsets.Length).Select(i => Event(i, copies)).ToArray();
                store.StoreCollectorBatch(Batch(live, 1, events[..6]));
                store.StoreCollectorBatch(Batch(live, 2, events[6..]));
                var keys = events.Select(e => e.Process).Concat([TestEvents.Sendmail.Key, other.Key, TestEvents.Systemd.Key]);
                return [.. keys.Select(k => store.ReadProcess(k)!).Select(p => (p.Key, p.Pid, p.Ppid, p.Parent, p.Exe, string.Join(' ', p.Argv), p.Provenance, p.FirstSeen, p.LastSeen))];
            }
            finally
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private protected override void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
