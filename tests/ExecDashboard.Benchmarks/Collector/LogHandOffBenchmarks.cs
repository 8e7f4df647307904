using System.Text;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Sources.Files;

namespace ExecDashboard.Benchmarks.Collector;

/// <summary>
/// A replay's hand-off alone: a log file (in the page cache) read by <see cref="AuditLogFileSource"/>
/// into the collector's queue and cut into records on a consumer thread, without parsing. Per
/// line (OperationsPerInvoke); the consumer releases each block, as the pipeline does, so the
/// reader reads into the same few chunks again. The baseline is a queue item and an awaited write per line, the way
/// the reader handed lines over before blocks, measured in the same run.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class LogHandOffBenchmarks
{
    private const int Runs = 40;

    // 8,320 execs of five records each.
    private const int LinesPerInvoke = 41_600;

    private string _path = "";
    private int _lines;

    [GlobalSetup]
    public void Setup()
    {
        _path = Path.Combine(Path.GetTempPath(), $"execdash-handoff-{Environment.ProcessId}.log");
        using (var writer = new StreamWriter(_path, append: false, new UTF8Encoding(false)))
        {
            SendmailLog.Write(writer, Runs);
        }

        _lines = File.ReadAllLines(_path).Length;
        if (_lines != LinesPerInvoke)
        {
            throw new InvalidOperationException($"The recording has {_lines} lines; set LinesPerInvoke to it.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_path);

    [Benchmark(Baseline = true, OperationsPerInvoke = LinesPerInvoke)]
    public long Baseline_a_queue_item_per_line()
    {
        var queue = Queue<RawAuditRecord>(4096);
        var consumed = Consume(queue.Reader, static (RawAuditRecord record, ref long bytes) => bytes += record.Data.Length);
        WriteLinesAsync(_path, queue.Writer).GetAwaiter().GetResult();
        return consumed.GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = LinesPerInvoke)]
    public long A_block_per_read()
    {
        var queue = Queue<RawAuditRecordBlock>(8);
        var consumed = Consume(queue.Reader, static (RawAuditRecordBlock block, ref long bytes) =>
        {
            foreach (var record in block)
            {
                bytes += record.Data.Length;
            }

            block.Release();
        });
        new AuditLogFileSource(_path, follow: false, TimeProvider.System).RunAsync(queue.Writer, CancellationToken.None).GetAwaiter().GetResult();
        return consumed.GetAwaiter().GetResult();
    }

    private delegate void Take<T>(T item, ref long bytes);

    private static Channel<T> Queue<T>(int capacity) => Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true,
        SingleWriter = true,
        AllowSynchronousContinuations = true,
    });

    /// <summary>The pipeline's side: its own thread, TryRead until empty, then block.</summary>
    private static Task<long> Consume<T>(ChannelReader<T> reader, Take<T> take)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            long bytes = 0;
            while (true)
            {
                while (reader.TryRead(out var item))
                {
                    take(item, ref bytes);
                }

                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    break;
                }
            }

            done.SetResult(bytes);
        }) { IsBackground = true }.Start();
        return done.Task;
    }

    /// <summary>One awaited write per line from 64 KiB reads, as the reader did before blocks.</summary>
    private static async Task WriteLinesAsync(string path, ChannelWriter<RawAuditRecord> writer)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0, FileOptions.SequentialScan);
        var chunk = new byte[64 * 1024];
        int start = 0, end = 0;
        while (true)
        {
            if (end == chunk.Length)
            {
                var next = new byte[chunk.Length];
                chunk.AsSpan(start, end - start).CopyTo(next);
                (chunk, end, start) = (next, end - start, 0);
            }

            var read = await stream.ReadAsync(chunk.AsMemory(end));
            if (read == 0)
            {
                break;
            }

            end += read;
            int newline;
            while ((newline = chunk.AsSpan(start, end - start).IndexOf((byte)'\n')) >= 0)
            {
                if (newline > 0)
                {
                    await writer.WriteAsync(new RawAuditRecord(0, chunk.AsMemory(start, newline)));
                }

                start += newline + 1;
            }
        }

        writer.Complete();
    }
}
