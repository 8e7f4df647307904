using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Schema versions, applied in order inside one transaction each. The version lives in
/// <c>PRAGMA user_version</c> (read without touching a table) and every step is also written to
/// <c>schema_version</c> with its time, for people inspecting a database file.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>Index i moves a database from version i to version i + 1, inside one transaction.</summary>
    private static readonly Action<SqliteConnection, SqliteTransaction>[] Steps =
    [
        (c, t) => Run(c, t, V1),
        (c, t) => V1ToV2Migration.Apply(c, t),
        (c, t) => Run(c, t, V3),
        (c, t) => Run(c, t, ProcessEndRows.Table),
    ];

    /// <summary>Version 1: every event row carried its strings and its whole ancestry as JSON.</summary>
    private const string V1 = """
        CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_us INTEGER NOT NULL);

        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            started_us INTEGER NOT NULL,
            ended_us INTEGER,
            host TEXT NOT NULL,
            origin TEXT NOT NULL CHECK (origin IN ('live', 'import')));

        -- Identity: (origin, host, boot, serial, time_us). origin is 0 for every live event and the
        -- importing session's id for imported ones, so a collector's re-send never duplicates, while
        -- importing an export again re-opens it as a session of its own.
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL,
            origin INTEGER NOT NULL,
            host TEXT NOT NULL,
            boot TEXT NOT NULL,
            serial INTEGER NOT NULL,
            time_us INTEGER NOT NULL,
            pid INTEGER NOT NULL,
            ppid INTEGER NOT NULL,
            uid INTEGER NOT NULL,
            auid INTEGER NOT NULL,
            comm TEXT NOT NULL,
            exe TEXT NOT NULL,
            argv TEXT NOT NULL,
            argv_bytes TEXT,
            cwd TEXT NOT NULL,
            success INTEGER NOT NULL,
            exit INTEGER NOT NULL,
            syscall TEXT NOT NULL,
            arch TEXT NOT NULL,
            process_key TEXT NOT NULL,
            parent_key TEXT NOT NULL,
            ancestry TEXT NOT NULL,
            UNIQUE (origin, host, boot, serial, time_us));
        CREATE INDEX events_session_id ON events (session_id, id);
        CREATE INDEX events_process_key ON events (process_key);
        CREATE INDEX events_parent_key ON events (parent_key);

        CREATE TABLE processes (
            key TEXT PRIMARY KEY,
            pid INTEGER NOT NULL,
            ppid INTEGER NOT NULL,
            parent_key TEXT NOT NULL,
            exe TEXT NOT NULL,
            argv TEXT NOT NULL,
            provenance INTEGER NOT NULL,
            first_seen_us INTEGER NOT NULL,
            last_seen_us INTEGER NOT NULL);
        CREATE INDEX processes_parent_key ON processes (parent_key);
        CREATE INDEX processes_pid ON processes (pid);

        CREATE TABLE gaps (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL,
            collector_id TEXT NOT NULL,
            time_us INTEGER NOT NULL,
            serial_gaps INTEGER NOT NULL,
            kernel_lost INTEGER NOT NULL);
        CREATE INDEX gaps_session_id ON gaps (session_id);

        CREATE TABLE collectors (
            id TEXT PRIMARY KEY,
            host TEXT NOT NULL,
            durable_batch_seq INTEGER NOT NULL,
            serial_gaps INTEGER NOT NULL,
            kernel_lost INTEGER NOT NULL,
            last_seen_us INTEGER NOT NULL);
        """;

    /// <summary>
    /// Version 3: an import writes in bounded transactions so live batches interleave; until its
    /// last one commits its session is marked <c>importing</c>, hidden from every read, and removed
    /// (with whatever it wrote) when the import fails or at the next start after a crash.
    /// </summary>
    private const string V3 = "ALTER TABLE sessions ADD COLUMN importing INTEGER NOT NULL DEFAULT 0;";

    public static int LatestVersion => Steps.Length;

    public static void Apply(SqliteConnection connection, TimeProvider time)
    {
        var current = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (current > Steps.Length)
        {
            throw new InvalidOperationException(
                $"The database has schema version {current}, newer than this dashboard's {Steps.Length}; use a newer dashboard or another database file.");
        }

        for (var version = current; version < Steps.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            Steps[version](connection, transaction);
            Run(connection, transaction, string.Create(CultureInfo.InvariantCulture,
                $"INSERT INTO schema_version (version, applied_us) VALUES ({version + 1}, {UnixMicros.From(time.GetUtcNow())});\nPRAGMA user_version = {version + 1};"));
            transaction.Commit();
        }
    }

    internal static void Run(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
