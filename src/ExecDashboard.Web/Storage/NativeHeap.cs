using System.Runtime.InteropServices;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Keeps the C heap from holding on to memory SQLite freed. SQLite takes its page caches from
/// malloc, and glibc gives each thread that allocates an arena of its own (up to eight per core)
/// and keeps what is freed there for that arena: every export (a 32 MiB cache for its sort, on
/// whichever pool thread the request got) left its cache resident in another arena. Six rounds of
/// exporting three 300,000-exec sessions took the dashboard from 134 MB to 540 MB, 300 MB of it
/// free memory in a dozen arenas; with the arenas capped and a trim when each download ends
/// (<see cref="Api.SessionDownload"/>), 200 MB.
/// </summary>
internal static class NativeHeap
{
    // glibc's mallopt parameter for the number of arenas (malloc.h).
    private const int ArenaMaxOption = -8;

    private static volatile bool _unavailable;

    /// <summary>
    /// Caps the arenas at two, so memory one thread frees serves another's allocation. glibc
    /// reads the cap when it would make a new arena, so the few the runtime's threads made before
    /// Main stay (about five) and no more come: without it there were fifteen after six exports.
    /// </summary>
    public static void LimitArenas() => Call(() => mallopt(ArenaMaxOption, 2));

    /// <summary>Returns the free pages of every arena to the system (<c>malloc_trim</c>).</summary>
    public static void Trim() => Call(() => malloc_trim(0));

    private static void Call(Func<int> glibc)
    {
        if (_unavailable || !OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _ = glibc();
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            // Another C library (musl): its allocator has no arenas to limit or trim.
            _unavailable = true;
        }
    }

    // DllImport, as in SqliteNative: blittable signatures, and LibraryImport would need unsafe code.
    [DllImport("libc", ExactSpelling = true)]
    private static extern int mallopt(int option, int value);

    [DllImport("libc", ExactSpelling = true)]
    private static extern int malloc_trim(nuint pad);
}
