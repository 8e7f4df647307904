using System.Runtime.InteropServices;
using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The store's connections run without SQLite's per-connection mutex (see <see cref="SqliteThreading"/>).</summary>
public sealed class SqliteThreadingTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("execdash-threading-").FullName;

    [Fact]
    public void The_stores_connections_take_no_mutex_around_each_call()
    {
        using var store = SqliteStores.In(_data);
        using var reader = store.Open();

        // SQLite gives a connection no mutex in its multi-thread mode, one in its serialized mode.
        Assert.Equal(0, sqlite3_db_mutex(reader.Handle!.DangerousGetHandle()));
        Assert.Equal(0, store.Write((c, _) => sqlite3_db_mutex(c.Handle!.DangerousGetHandle())));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [DllImport("e_sqlite3", ExactSpelling = true)]
    private static extern nint sqlite3_db_mutex(nint db);
}
