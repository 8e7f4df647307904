using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// A read-only connection of one export's own to the store's database, opened through SQLite's C
/// API in its multi-thread mode: no mutex around each of some 25 calls for each row of an export
/// (measured: 7% of the dashboard's CPU for a 300,000-exec download, when every connection took
/// one). The store's connections run that way too (<see cref="SqliteThreading"/>); the flag keeps
/// this one so even where SQLite refused that setting. One thread at a time uses it (handed over
/// by an await); WAL lets it read beside the writer, as the pool's connections do.
/// </summary>
/// <remarks>
/// The database is read through a memory map (<see cref="MappedBytes"/>): an export's new
/// connection starts with an empty page cache, and filling it page by page (a <c>pread</c> into a
/// freshly allocated page each) was a sixth of the dashboard's CPU for a 300,000-exec download
/// (measured: 1.02-1.05 s and 1.4-1.5 s of CPU per download before, 0.87-0.91 s and 1.2-1.3 s
/// after). The mapped pages are the kernel's page cache, which the reads filled anyway; they count
/// in the dashboard's RSS (as file pages) only while an export runs. The price, SQLite's own
/// caveat: a disk that fails to read a mapped page stops the process (SIGBUS) where a failed read
/// would have failed the download; the writer and the queries keep reading as before.
/// </remarks>
internal sealed class ExportConnection : IDisposable
{
    /// <summary>The most of the database file mapped; past it, SQLite reads pages as usual.</summary>
    private const long MappedBytes = 1L << 30;

    public ExportConnection(string databasePath)
    {
        var rc = raw.sqlite3_open_v2(databasePath, out var db, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX | raw.SQLITE_OPEN_PRIVATECACHE, null);
        Handle = db;
        if (rc != raw.SQLITE_OK)
        {
            var error = Error(rc);
            db.Dispose();
            throw error;
        }

        // As the pool's connections wait (SqliteEventStore.Open): a checkpoint can hold the WAL briefly.
        raw.sqlite3_busy_timeout(db, 30_000);
        try
        {
            Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA mmap_size = {MappedBytes};"));
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    public sqlite3 Handle { get; }

    /// <summary>Runs a statement that returns nothing worth reading (a pragma that sets).</summary>
    public void Execute(string sql)
    {
        var rc = raw.sqlite3_exec(Handle, sql);
        if (rc != raw.SQLITE_OK)
        {
            throw Error(rc);
        }
    }

    /// <summary>Makes what runs on this connection on another thread stop soon with SQLITE_INTERRUPT.</summary>
    public void Interrupt() => raw.sqlite3_interrupt(Handle);

    public SqliteException Error(int rc) => new(raw.sqlite3_errmsg(Handle).utf8_to_string(), rc, raw.sqlite3_extended_errcode(Handle));

    public void Dispose() => Handle.Dispose();
}
