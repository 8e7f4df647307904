namespace ExecDashboard.Sources.Files;

/// <summary>
/// The chunks one log reader reads into. A chunk comes back once the reader has moved past it and
/// the pipeline has released every block cut from it; the next read then lands in memory already
/// mapped and likely still in the CPU's caches.
/// </summary>
/// <remarks>
/// Measured on a 300,000-exec replay (243 MB): with a new chunk per 64 KiB, the kernel's copy into
/// never-touched pages (a page fault per 4 KiB) was a tenth of the collector's CPU in a profile.
/// About ten chunks are in use at once (the pipeline's queue, the block being parsed, the one being
/// read), so the pool keeps a few more than that and lets the rest go to the GC.
/// </remarks>
internal sealed class LogChunkPool(int chunkSize)
{
    private const int MaxKept = 16;
    private readonly Stack<LogChunk> _free = new();

    public int ChunkSize { get; } = chunkSize;

    /// <summary>A chunk of at least <paramref name="minimumSize"/> bytes, held by the caller until it calls <see cref="LogChunk.Release"/>.</summary>
    public LogChunk Rent(int minimumSize)
    {
        if (minimumSize <= ChunkSize)
        {
            lock (_free)
            {
                if (_free.TryPop(out var reused))
                {
                    reused.Reopen();
                    return reused;
                }
            }
        }

        return new LogChunk(GC.AllocateUninitializedArray<byte>(Math.Max(minimumSize, ChunkSize)), this);
    }

    internal void Return(LogChunk chunk)
    {
        // A chunk grown for a long line is not kept: the next long line is rare.
        if (chunk.Bytes.Length != ChunkSize)
        {
            return;
        }

        lock (_free)
        {
            if (_free.Count < MaxKept)
            {
                _free.Push(chunk);
            }
        }
    }
}
