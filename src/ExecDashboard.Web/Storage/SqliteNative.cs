using System.Runtime.InteropServices;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The few SQLite calls the hot paths make straight into the <c>e_sqlite3</c> library SQLitePCL
/// loaded, with a statement's pointer: through SQLitePCL each call goes through its provider
/// interface and takes and releases the statement's <see cref="SafeHandle"/>. The callers hold
/// a reference on that handle for as long as they use the pointer.
/// </summary>
/// <remarks>
/// DllImport, not LibraryImport, which needs unsafe code in the project: these signatures are
/// blittable, so the runtime's stub marshals nothing either way.
/// </remarks>
internal static class SqliteNative
{
    private const string Library = "e_sqlite3";

    [DllImport(Library, ExactSpelling = true)]
    public static extern int sqlite3_step(nint statement);

    // Without the GC transition, the calls below neither wait on I/O nor on another thread: they
    // read or set a value of the statement, and take no mutex (the store's connections have none,
    // see SqliteThreading; were SQLite left serialized, the writer's would still be uncontended,
    // as it is used under the store's write lock only).
    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_bind_int64(nint statement, int index, long value);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern long sqlite3_column_int64(nint statement, int column);

    [DllImport(Library, ExactSpelling = true)]
    [SuppressGCTransition]
    public static extern int sqlite3_column_type(nint statement, int column);
}
