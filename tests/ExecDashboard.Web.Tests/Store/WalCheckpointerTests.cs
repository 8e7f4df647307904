using System.Diagnostics;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The write-ahead log is copied into the database beside the writer (see <see cref="WalCheckpointer"/>).</summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private readonly string _data;
    private readonly SqliteEventStore _store;

    public WalCheckpointerTests()
    {
        _data = Directory.CreateTempSubdirectory("execdash-checkpointer-").FullName;
        _store = SqliteStores.In(_data);
    }

    [Fact]
    public void Committed_pages_reach_the_database_file_without_the_writer_checkpointing()
    {
        var before = new FileInfo(_store.DatabasePath).Length;
        var checkpoints = _store.Checkpointer.Checkpoints;

        // 2 MiB: 500 pages, well under the writer's own threshold, so only the checkpointer copies them.
        _store.Write((c, t) =>
        {
            using var create = SqliteEventStore.Command(c, t, "CREATE TABLE probe (payload BLOB NOT NULL);");
            create.ExecuteNonQuery();
            using var insert = SqliteEventStore.Command(c, t, "INSERT INTO probe (payload) VALUES (zeroblob(4096));");
            for (var i = 0; i < 512; i++)
            {
                insert.ExecuteNonQuery();
            }

            return 0;
        });

        var waited = Stopwatch.StartNew();
        while (_store.Checkpointer.Checkpoints == checkpoints && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(10);
        }

        Assert.True(_store.Checkpointer.Checkpoints > checkpoints, "no checkpoint ran within 30 s of a commit");
        Assert.Equal(0, _store.Checkpointer.Failures);
        var grown = new FileInfo(_store.DatabasePath).Length - before;
        Assert.True(grown >= 2 * 1024 * 1024, $"the database file grew by {grown:N0} bytes, not by the 2 MiB committed");
    }

    [Fact]
    public void The_writer_checkpoints_on_its_own_only_past_its_bound()
    {
        var pages = _store.Write((c, t) =>
        {
            using var command = SqliteEventStore.Command(c, t, "PRAGMA wal_autocheckpoint;");
            return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        });

        Assert.Equal(WalCheckpointer.WriterCheckpointPages, pages);
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
