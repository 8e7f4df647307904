using SQLitePCL;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Puts SQLite in its multi-thread mode, without memory statistics, before its first connection.
/// The library is built serialized: every call on a connection (a bind, a step, a column read)
/// takes and releases that connection's mutex, and every allocation a global one for the
/// statistics. The store never shares a connection between threads at once (the writer is used
/// under the store's write lock; a pooled reader by one query at a time), so those mutexes only
/// cost: about 6% of an import's writer thread (perf).
/// </summary>
internal static class SqliteThreading
{
    private static readonly Lock Gate = new();
    private static bool _done;

    /// <summary>
    /// Configures the library once per process. Too late if something in the process already
    /// opened a connection: SQLite then refuses the change and stays serialized, which is slower
    /// but as correct.
    /// </summary>
    public static void Configure()
    {
        lock (Gate)
        {
            if (_done)
            {
                return;
            }

            _done = true;
            Batteries_V2.Init();
            _ = raw.sqlite3_config(raw.SQLITE_CONFIG_MULTITHREAD);
            _ = raw.sqlite3_config(raw.SQLITE_CONFIG_MEMSTATUS, 0);
        }
    }
}
