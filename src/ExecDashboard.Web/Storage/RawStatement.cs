using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// One prepared statement on the writer's connection, bound by position through SQLite's own C
/// API. The ingest hot path uses it instead of <see cref="SqliteCommand"/>, which binds every
/// parameter by name (<c>sqlite3_bind_parameter_index</c>, a linear search): measured, that
/// made a 64-row insert cost more than 64 one-row inserts. Numbers are bound and rows stepped
/// straight through <see cref="SqliteNative"/> (some 30 numbers per exec). Runs inside whatever
/// transaction the connection has open; one thread at a time, under the store's write lock.
/// </summary>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;
    private bool _released;

    public RawStatement(SqliteConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));

        // Held until Dispose, so the pointer stays valid for every direct call.
        var added = false;
        _statement.DangerousAddRef(ref added);
        _handle = _statement.DangerousGetHandle();
    }

    /// <summary>Binds parameter <paramref name="index"/> (from 1, SQLite's convention).</summary>
    public void Bind(int index, long value) => Check(SqliteNative.sqlite3_bind_int64(_handle, index, value));

    public void Bind(int index, string? value) =>
        Check(value is null ? raw.sqlite3_bind_null(_statement, index) : raw.sqlite3_bind_text(_statement, index, value));

    /// <summary>Steps once: true when a row is ready to read, false when the statement is done.</summary>
    public bool Step()
    {
        var rc = SqliteNative.sqlite3_step(_handle);
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

    public long Int64(int column) => SqliteNative.sqlite3_column_int64(_handle, column);

    public bool IsNull(int column) => SqliteNative.sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;

    /// <summary>A text column's UTF-8 bytes, valid until the next step (empty for NULL).</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Rows the last finished INSERT, UPDATE or DELETE on this connection changed (an ignored row is not one).</summary>
    public int Changes => raw.sqlite3_changes(_db);

    /// <summary>Makes the statement ready to run again; bindings stay until bound anew.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public void Dispose()
    {
        if (!_released)
        {
            _released = true;
            _statement.DangerousRelease();
        }

        _statement.Dispose();
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    private SqliteException Error(int rc) => new(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
}
