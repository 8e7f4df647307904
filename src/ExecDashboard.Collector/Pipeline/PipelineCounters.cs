namespace ExecDashboard.Collector.Pipeline;

/// <summary>Counts the pipeline thread publishes and the loss reporter reads from another thread.</summary>
internal sealed class PipelineCounters
{
    private long _records;
    private long _execs;
    private long _ends;
    private long _malformed;
    private long _serialGaps;

    public long Records => Interlocked.Read(ref _records);

    public long Execs => Interlocked.Read(ref _execs);

    /// <summary>Process ends written to the output.</summary>
    public long Ends => Interlocked.Read(ref _ends);

    public long MalformedRecords => Interlocked.Read(ref _malformed);

    public long SerialGaps => Interlocked.Read(ref _serialGaps);

    public void Publish(long records, long execs, long ends, long malformed, long serialGaps)
    {
        Interlocked.Exchange(ref _records, records);
        Interlocked.Exchange(ref _execs, execs);
        Interlocked.Exchange(ref _ends, ends);
        Interlocked.Exchange(ref _malformed, malformed);
        Interlocked.Exchange(ref _serialGaps, serialGaps);
    }
}
