using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The store contract on the SQLite engine, a fresh database file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    private readonly string _data = Directory.CreateTempSubdirectory("execdash-store-").FullName;

    private protected override IStoreEngine OpenEngine() =>
        new SqliteEventStore(DashboardPaths.Resolve(new DashboardOptions { DataDirectory = _data }), TimeProvider.System);

    private protected override void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }
}
