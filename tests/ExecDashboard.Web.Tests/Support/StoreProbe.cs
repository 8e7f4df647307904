using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Tests.Support;

/// <summary>
/// Reads a running (or killed) dashboard's database file directly, to see what no API shows: an
/// import's chunks while the import is still in progress.
/// </summary>
internal sealed class StoreProbe(DashboardServer server)
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = Path.Combine(server.DataDirectory, "execdashboard.db"),

        // Only reads, but opened read-write: after a kill the WAL may need recovery, which a
        // read-only connection cannot do.
        Mode = SqliteOpenMode.ReadWrite,

        // A pooled handle would outlive the test's look and keep the file open.
        Pooling = false,
    }.ToString();

    /// <summary>Events written by an import that has not finished (zero when none runs).</summary>
    public long EventsOfUnfinishedImports() =>
        Scalar("SELECT COUNT(*) FROM events WHERE session_id IN (SELECT id FROM sessions WHERE importing = 1);");

    public long UnfinishedImports() => Scalar("SELECT COUNT(*) FROM sessions WHERE importing = 1;");

    public long Sessions() => Scalar("SELECT COUNT(*) FROM sessions;");

    public long Events() => Scalar("SELECT COUNT(*) FROM events;");

    /// <summary>The schema versions applied to the file, in order.</summary>
    public long[] SchemaSteps()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version;";
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
        {
            versions.Add(reader.GetInt64(0));
        }

        return [.. versions];
    }

    /// <summary>Waits (polling, no fixed sleep) until an import is in progress and has committed a chunk.</summary>
    public async Task WaitForImportChunksAsync(Task importing)
    {
        for (var i = 0; i < 6_000; i++)
        {
            if (EventsOfUnfinishedImports() > 0)
            {
                return;
            }

            Assert.False(importing.IsCompleted, "The import finished before any of its chunks was seen.");
            await Task.Delay(10);
        }

        Assert.Fail("No import chunk was committed within 60 s.");
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
