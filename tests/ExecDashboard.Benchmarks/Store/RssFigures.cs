namespace ExecDashboard.Benchmarks.Store;

/// <summary>A dashboard's resident memory: now, at its peak, and the peak of its private part, in bytes.</summary>
internal readonly record struct RssFigures(long Now, long Peak, long PeakPrivate);
