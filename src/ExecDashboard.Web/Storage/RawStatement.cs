using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// One prepared statement bound by position and stepped through SQLite's own C API, for the two
/// paths that touch hundreds of thousands of rows: the writer (collector batches, imports, the
/// migration) and the export's readers.
/// </summary>
/// <remarks>
/// <see cref="SqliteCommand"/> binds every parameter by name (<c>sqlite3_bind_parameter_index</c>,
/// a linear search): measured, that made a 64-row insert cost more than 64 one-row inserts. And
/// through SQLitePCL each call goes through its provider interface and takes and releases the
/// statement's handle: measured on a 300,000-exec export, a tenth of the dashboard's CPU for some
/// 20 columns a row. So numbers are bound, rows stepped and number columns read straight through
/// <see cref="SqliteNative"/>; texts and errors still go through SQLitePCL. One thread at a time:
/// the writer's statements under the store's write lock, an export's on its own connection.
/// </remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;
    private bool _released;

    public RawStatement(SqliteConnection connection, string sql)
        : this(connection?.Handle ?? throw new InvalidOperationException("The connection is not open."), sql)
    {
    }

    public RawStatement(sqlite3 db, string sql)
    {
        ArgumentNullException.ThrowIfNull(db);
        _db = db;
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

        var error = Error(rc);
        Reset();
        throw error;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Int64(int column) => SqliteNative.sqlite3_column_int64(_handle, column);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int column) => SqliteNative.sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;

    /// <summary>A text column's UTF-8 bytes, valid until the next step (empty for NULL).</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

    /// <summary>Rows the last finished INSERT, UPDATE or DELETE on this connection changed (an ignored row is not one).</summary>
    public int Changes => raw.sqlite3_changes(_db);

    /// <summary>The row id of the last row an INSERT on this connection stored (an ignored row leaves it as it was).</summary>
    public long LastInsertRowId => raw.sqlite3_last_insert_rowid(_db);

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
