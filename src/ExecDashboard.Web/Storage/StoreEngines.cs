using ExecDashboard.Web.Configuration;
using ExecDashboard.Web.Storage.Postgres;
using Npgsql;

namespace ExecDashboard.Web.Storage;

/// <summary>The engines <c>Dashboard:Store</c> names: their settings checked, and the chosen one opened.</summary>
public static class StoreEngines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>Where the connection string comes from when the configuration has none.</summary>
    public const string ConnectionStringVariable = "EXECDASH_CONNECTION_STRING";

    private const int MaxReplicaName = 128;

    /// <summary>One sentence per setting of the store that cannot work.</summary>
    public static IEnumerable<string> Validate(DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!IsKnown(options.Store))
        {
            yield return $"Dashboard:Store must be '{Sqlite}' or '{Postgres}', not '{options.Store}'.";
        }
        else if (IsPostgres(options) && string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            yield return $"Dashboard:Store={Postgres} needs Dashboard:ConnectionString (or {ConnectionStringVariable}), for example 'Host=db.example;Database=execdash;Username=execdash'.";
        }
        else if (IsPostgres(options) && Unparsable(options.ConnectionString!) is { } reason)
        {
            yield return $"Dashboard:ConnectionString is not an Npgsql connection string ({reason.TrimEnd('.')}).";
        }

        if (options.StorePoolSize is < 1 or > 1000)
        {
            yield return $"Dashboard:StorePoolSize must be between 1 and 1000, not {options.StorePoolSize}.";
        }

        if (options.RetentionDays is < 0 or > 36_500)
        {
            yield return $"Dashboard:RetentionDays must be between 0 (keep everything) and 36500, not {options.RetentionDays}.";
        }

        // The name travels in every replica's notices and fills the collectors page's Replica column.
        if (options.ReplicaName is { } replica && (replica.Length > MaxReplicaName || replica.Any(char.IsControl)))
        {
            yield return $"Dashboard:ReplicaName must be at most {MaxReplicaName} characters without control characters, like 'db-host:5150'.";
        }
    }

    /// <summary>Opens the configured engine (migrating its schema); <see cref="StoreUnavailableException"/> says why it cannot.</summary>
    public static IStoreEngine Open(DashboardOptions options, DashboardPaths paths, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return IsPostgres(options)
            ? new PostgresEventStore(options.ConnectionString!, options.StorePoolSize, options.ReplicaName)
            : new SqliteEventStore(paths, time, options.StoreCacheEntries);
    }

    private static bool IsKnown(string? store) =>
        string.Equals(store, Sqlite, StringComparison.OrdinalIgnoreCase) || string.Equals(store, Postgres, StringComparison.OrdinalIgnoreCase);

    private static bool IsPostgres(DashboardOptions options) => string.Equals(options.Store, Postgres, StringComparison.OrdinalIgnoreCase);

    private static string? Unparsable(string connectionString)
    {
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException ex)
        {
            return ex.ParamName is { } setting ? $"'{setting}' is unknown or has an invalid value" : ex.Message;
        }
    }
}
