using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SQLitePCL;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// A prepared SELECT whose rows are stepped and read by calling SQLite (the <c>e_sqlite3</c>
/// library SQLitePCL loaded) directly with the statement's pointer, for reads of hundreds of
/// thousands of rows (an export). Through SQLitePCL each call takes and releases the statement's
/// <see cref="SafeHandle"/> and goes through its provider interface: measured on a 300,000-exec
/// export, a tenth of the dashboard's CPU for some 20 columns a row. Binding, text columns and
/// errors still go through SQLitePCL. One thread at a time, as its <see cref="ExportConnection"/>.
/// </summary>
internal sealed class RowStatement : IDisposable
{
    private readonly ExportConnection _connection;
    private readonly sqlite3_stmt _statement;
    private readonly nint _handle;
    private bool _released;

    public RowStatement(ExportConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        Check(raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement));

        // Held until Dispose, so the pointer stays valid for every direct call.
        var added = false;
        _statement.DangerousAddRef(ref added);
        _handle = _statement.DangerousGetHandle();
    }

    /// <summary>Binds parameter <paramref name="index"/> (from 1, SQLite's convention).</summary>
    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

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

        var error = _connection.Error(rc);
        Reset();
        throw error;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Int64(int column) => SqliteNative.sqlite3_column_int64(_handle, column);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsNull(int column) => SqliteNative.sqlite3_column_type(_handle, column) == raw.SQLITE_NULL;

    /// <summary>A text column's UTF-8 bytes, valid until the next step (empty for NULL).</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(_statement, column);

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
            throw _connection.Error(rc);
        }
    }
}
