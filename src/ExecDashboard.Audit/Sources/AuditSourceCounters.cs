namespace ExecDashboard.Audit.Sources;

/// <summary>Thread-safe counters a source updates and anyone may read.</summary>
public sealed class AuditSourceCounters
{
    private long _records;
    private long _queueDrops;
    private long _kernelLost = -1;
    private long _kernelBacklog = -1;

    /// <summary>Records delivered.</summary>
    public long Records => Interlocked.Read(ref _records);

    /// <summary>Records dropped because the bounded queue was full.</summary>
    public long QueueDrops => Interlocked.Read(ref _queueDrops);

    /// <summary>The kernel's cumulative <c>lost</c> counter, or null when this source cannot read it.</summary>
    public long? KernelLost => Interlocked.Read(ref _kernelLost) is var v && v >= 0 ? v : null;

    /// <summary>The kernel's current backlog, or null when unknown.</summary>
    public long? KernelBacklog => Interlocked.Read(ref _kernelBacklog) is var v && v >= 0 ? v : null;

    public void AddRecord() => Interlocked.Increment(ref _records);

    public void AddRecords(int count) => Interlocked.Add(ref _records, count);

    public void AddQueueDrop() => Interlocked.Increment(ref _queueDrops);

    public void SetKernelStatus(long lost, long backlog)
    {
        Interlocked.Exchange(ref _kernelLost, lost);
        Interlocked.Exchange(ref _kernelBacklog, backlog);
    }
}
