using System.Runtime;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Hands back the memory of a job that held a session's worth of objects (an import's lineage
/// table and parse buffers, a trace's spans) when it ends, instead of whenever the next full
/// collection comes: a compacting collection of every generation, then the C heap trimmed
/// (<see cref="NativeHeap"/>). Measured: a 300,000-exec raw-log import left the dashboard 220 MB
/// larger without it.
/// </summary>
internal static class HeapRelease
{
    public static void AfterLargeJob()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }
}
