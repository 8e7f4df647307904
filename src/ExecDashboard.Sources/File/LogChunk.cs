using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Sources.Files;

/// <summary>
/// One chunk of a <see cref="LogChunkPool"/>: its bytes, and how many holds it has: the reader's
/// while it reads into it, and one per block cut from it that the pipeline has not released.
/// </summary>
internal sealed class LogChunk : IRecordBlockLease
{
    private readonly LogChunkPool _pool;
    private int _holds = 1;

    internal LogChunk(byte[] bytes, LogChunkPool pool)
    {
        Bytes = bytes;
        _pool = pool;
    }

    public byte[] Bytes { get; }

    /// <summary>A block of the lines in <c>Bytes[start..(start + length)]</c>, holding this chunk until it is released.</summary>
    public RawAuditRecordBlock Block(int start, int length)
    {
        Interlocked.Increment(ref _holds);
        return RawAuditRecordBlock.OfLogLines(Bytes.AsMemory(start, length), this);
    }

    /// <summary>Drops one hold (the reader's, or a block's); the last one gives the chunk back to its pool.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _holds);
        if (left == 0)
        {
            _pool.Return(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("A block of a log chunk was released twice.");
        }
    }

    /// <summary>Taken from the pool: nobody else holds it, the reader holds it now.</summary>
    internal void Reopen() => Volatile.Write(ref _holds, 1);
}
