using System.Runtime.InteropServices;
using System.Runtime.Versioning;

namespace ExecDashboard.Benchmarks.Support;

/// <summary>
/// CPU time of the calling thread, in nanoseconds (clock_gettime(2), <c>CLOCK_THREAD_CPUTIME_ID</c>).
/// One thread's CPU time moves less with other load on the machine than wall-clock time does, and
/// unlike the tick counts of <c>/proc/thread-self/stat</c> it is fine enough to time each part of
/// one batch.
/// </summary>
[SupportedOSPlatform("linux")]
internal static partial class ThreadCpu
{
    private const int ClockThreadCpuTimeId = 3;

    public static long Nanoseconds()
    {
        if (ClockGetTime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
