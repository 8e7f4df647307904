using ExecDashboard.Web.Storage;
using ExecDashboard.Web.Storage.Postgres;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The store contract on the PostgreSQL engine, a fresh database of one throwaway cluster per test.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresStoreContractTests(PostgresCluster cluster) : StoreContractTests
{
    private readonly string _connectionString = cluster.CreateDatabase();

    private protected override IStoreEngine OpenEngine() => new PostgresEventStore(_connectionString, poolSize: 4);
}
