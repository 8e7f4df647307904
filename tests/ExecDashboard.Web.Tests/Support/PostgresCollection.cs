namespace ExecDashboard.Web.Tests.Support;

/// <summary>Test classes that share one throwaway PostgreSQL cluster (each test takes a database of its own).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresCluster>
{
    public const string Name = "PostgreSQL cluster";
}
