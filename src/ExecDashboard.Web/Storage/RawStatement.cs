using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// One prepared statement on the writer's connection, bound by position through SQLite's own C
/// API. The ingest hot path uses it instead of <see cref="SqliteCommand"/>, which binds every
/// parameter by name (<c>sqlite3_bind_parameter_index</c>, a linear search): measured, that
/// made a 64-row insert cost more than 64 one-row inserts. Runs inside whatever transaction the
/// connection has open.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    /// <summary>Binds parameter <paramref name="index"/> (from 1, SQLite's convention).</summary>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Steps once: true when a row is ready to read, false when the statement is done.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }

        if (rc == raw.SQLITE_DONE)
        {
            return false;
        }

        Reset();
        throw Error(rc);
    }

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>A text column's UTF-8 bytes, valid until the next step (empty for NULL).</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Rows the last finished INSERT, UPDATE or DELETE on this connection changed (an ignored row is not one).</summary>
    public int Changes => raw.sqlite3_changes(_db);

    /// <summary>Makes the statement ready to run again; bindings stay until bound anew.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
}
