using System.IO.Pipelines;

namespace ExecDashboard.Web.Sessions;

/// <summary>
/// An upload handed to the import's thread while it arrives: the request body is copied into a
/// bounded pipe by an asynchronous pump, which counts it against the size limit, and the importer
/// reads the other end with ordinary blocking reads. Parsing and storing thus run during the
/// upload instead of after it (measured: buffering a 243 MB log to a temporary file first took
/// about 0.6 s before the first line was parsed, an eighth of the import).
/// </summary>
/// <remarks>
/// A failure of the pump (the limit passed, the client gone) reaches the importer as the
/// exception of its next read, so the import stops and its rows are removed like any other
/// failed import's.
/// </remarks>
internal sealed class UploadStream : IAsyncDisposable
{
    /// <summary>Read-ahead past the importer: a few reads of the body, a few megabytes at most.</summary>
    private const long PauseBytes = 4 * 1024 * 1024;

    private const int ReadBytes = 64 * 1024;

    private readonly Pipe _pipe;
    private readonly CancellationTokenSource _stop;
    private readonly Task _pump;

    private UploadStream(Stream body, ReadOnlyMemory<byte> head, long limit, CancellationToken cancellationToken)
    {
        Head = head;
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PauseBytes, resumeWriterThreshold: PauseBytes / 2, useSynchronizationContext: false));
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _pump = PumpAsync(body, head, limit, _stop.Token);
        Body = _pipe.Reader.AsStream();
    }

    /// <summary>The first bytes of the upload (at most what was asked for), to choose the importer by.</summary>
    public ReadOnlyMemory<byte> Head { get; }

    /// <summary>The whole upload, head included, for blocking reads on one thread.</summary>
    public Stream Body { get; }

    /// <summary>Reads the first <paramref name="headBytes"/> bytes (fewer when the upload is shorter) and starts the pump.</summary>
    public static async Task<UploadStream> StartAsync(Stream body, int headBytes, long limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        var head = new byte[headBytes];
        var filled = 0;
        int read;
        while (filled < head.Length && (read = await body.ReadAsync(head.AsMemory(filled), cancellationToken)) > 0)
        {
            filled += read;
        }

        if (filled > limit)
        {
            throw new ImportTooLargeException(limit);
        }

        return new UploadStream(body, head.AsMemory(0, filled), limit, cancellationToken);
    }

    /// <summary>Reads the rest of the upload and throws it away; throws what the pump met (the limit passed).</summary>
    public async Task DiscardRestAsync(CancellationToken cancellationToken)
    {
        var reader = _pipe.Reader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }

    /// <summary>Stops the pump if the importer stopped early, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _pipe.Reader.CompleteAsync();
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }

    private async Task PumpAsync(Stream body, ReadOnlyMemory<byte> head, long limit, CancellationToken cancellationToken)
    {
        // Not on the caller's stack: the first await below would otherwise run the first copy there.
        await Task.Yield();
        var writer = _pipe.Writer;
        Exception? failure = null;
        try
        {
            var total = (long)head.Length;
            var flushed = await writer.WriteAsync(head, cancellationToken);
            while (!flushed.IsCompleted)
            {
                var read = await body.ReadAsync(writer.GetMemory(ReadBytes), cancellationToken);
                if (read == 0)
                {
                    break;
                }

                total += read;
                if (total > limit)
                {
                    throw new ImportTooLargeException(limit);
                }

                writer.Advance(read);
                flushed = await writer.FlushAsync(cancellationToken);
            }
        }
#pragma warning disable CA1031 // Handed to the importer, whose next read throws it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            failure = e;
        }

        await writer.CompleteAsync(failure);
    }
}
