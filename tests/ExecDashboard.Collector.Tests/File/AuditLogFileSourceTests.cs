using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Sources.Files;

namespace ExecDashboard.Collector.Tests.File;

public sealed class AuditLogFileSourceTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _directory = Directory.CreateTempSubdirectory("execdash-file-source-").FullName;

    private string LogPath => Path.Combine(_directory, "audit.log");

    [Fact]
    public async Task Delivers_every_line_as_one_record_without_its_newline()
    {
        await System.IO.File.WriteAllTextAsync(LogPath, "type=A msg=1\ntype=B msg=2\r\n\ntype=C msg=3");

        var records = await ReadAllAsync(new AuditLogFileSource(LogPath, follow: false, TimeProvider.System));

        Assert.Equal(["type=A msg=1", "type=B msg=2", "type=C msg=3"], records);
    }

    [Fact]
    public async Task Keeps_a_line_longer_than_its_buffer_whole_with_its_exact_bytes()
    {
        var huge = new byte[300_000];
        for (var i = 0; i < huge.Length; i++)
        {
            huge[i] = (byte)('a' + (i % 26));
        }

        huge[7] = 0xff; // not UTF-8: bytes must pass untouched
        await using (var file = System.IO.File.Create(LogPath))
        {
            file.Write("type=X\n"u8);
            file.Write(huge);
            file.Write("\ntype=Y\n"u8);
        }

        var source = new AuditLogFileSource(LogPath, follow: false, TimeProvider.System);
        var records = await ReadAllBytesAsync(source);

        Assert.Equal(3, records.Count);
        Assert.Equal(huge, records[1]);
        Assert.Equal(3, source.Counters.Records);
    }

    [Fact]
    public async Task Records_keep_their_bytes_while_queued_as_later_lines_are_read()
    {
        // Lines are slices of the reader's chunks: many chunks' worth of lines of varied lengths,
        // with lines cut by chunk ends, all still queued when the file is done, must read back intact.
        var expected = Enumerable.Range(0, 40_000).Select(i => $"type=SYSCALL msg=audit(1.{i % 1000:D3}:{i}): {new string((char)('a' + (i % 26)), i % 97)}").ToList();
        await System.IO.File.WriteAllTextAsync(LogPath, string.Join("\r\n", expected) + "\n");
        var queue = Channel.CreateUnbounded<RawAuditRecordBlock>();

        await new AuditLogFileSource(LogPath, follow: false, TimeProvider.System).RunAsync(queue.Writer, CancellationToken.None);

        var records = new List<string>();
        await foreach (var block in queue.Reader.ReadAllAsync())
        {
            foreach (var record in block)
            {
                records.Add(Encoding.UTF8.GetString(record.Data.Span));
            }
        }

        Assert.Equal(expected, records);
    }

    [Fact]
    public async Task A_released_block_lends_its_bytes_to_later_reads_and_a_held_one_keeps_them()
    {
        // The pipeline releases each block once parsed; the reader then reads into those bytes
        // again. A block still held (the first one, here) must keep its lines whatever is read later.
        var expected = Enumerable.Range(0, 40_000).Select(i => $"type=SYSCALL msg=audit(1.{i % 1000:D3}:{i}): {new string((char)('a' + (i % 26)), i % 97)}").ToList();
        await System.IO.File.WriteAllTextAsync(LogPath, string.Join("\n", expected) + "\n");
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(1);
        var reading = new AuditLogFileSource(LogPath, follow: false, TimeProvider.System).RunAsync(queue.Writer, CancellationToken.None);

        RawAuditRecordBlock? held = null;
        var records = new List<string>();
        var buffers = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        var blocks = 0;
        await foreach (var block in queue.Reader.ReadAllAsync())
        {
            blocks++;
            foreach (var record in block)
            {
                records.Add(Encoding.UTF8.GetString(record.Data.Span));
                Assert.True(MemoryMarshal.TryGetArray(record.Data, out var segment));
                buffers.Add(segment.Array!);
            }

            if (held is null)
            {
                held = block;
            }
            else
            {
                block.Release();
            }
        }

        await reading;
        Assert.Equal(expected, records);
        var first = new List<string>();
        foreach (var record in held!.Value)
        {
            first.Add(Encoding.UTF8.GetString(record.Data.Span));
        }

        Assert.Equal(expected.Take(first.Count), first);
        Assert.True(blocks > 20, $"{blocks} blocks");
        Assert.True(buffers.Count <= 4, $"{blocks} blocks were read into {buffers.Count} buffers");
    }

    [Fact]
    public async Task Hands_over_the_complete_lines_of_one_read_as_one_block_and_counts_each_record()
    {
        var lines = Enumerable.Range(0, 1000).Select(i => $"type=SYSCALL msg=audit(1.000:{i}):").ToList();
        await System.IO.File.WriteAllTextAsync(LogPath, string.Join("\n\n", lines) + "\r\n");
        var source = new AuditLogFileSource(LogPath, follow: false, TimeProvider.System);

        var blocks = await ReadBlocksAsync(source);

        var block = Assert.Single(blocks); // 40 KB: one read
        Assert.Equal(lines, block);
        Assert.Equal(1000, source.Counters.Records);
    }

    [Fact]
    public async Task A_line_cut_by_the_end_of_a_read_goes_whole_into_the_next_block()
    {
        // 106-byte lines do not divide a 64 KiB read: every read ends inside a line.
        var lines = Enumerable.Range(0, 3000).Select(i => $"type=PATH msg=audit(1.000:{i:D6}): " + new string('p', 70)).ToList();
        await System.IO.File.WriteAllTextAsync(LogPath, string.Join("\n", lines) + "\n");
        var source = new AuditLogFileSource(LogPath, follow: false, TimeProvider.System);

        var blocks = await ReadBlocksAsync(source);

        Assert.True(blocks.Count >= 4, $"{blocks.Count} blocks");
        Assert.All(blocks.SelectMany(b => b), line => Assert.Equal(lines[0].Length, line.Length));
        Assert.Equal(lines, blocks.SelectMany(b => b));
        Assert.Equal(3000, source.Counters.Records);
    }

    [Fact]
    public async Task The_unterminated_last_line_is_a_block_and_a_record_of_its_own()
    {
        await System.IO.File.WriteAllTextAsync(LogPath, "type=A\ntype=B\ntype=C unterminated\r");
        var source = new AuditLogFileSource(LogPath, follow: false, TimeProvider.System);

        var blocks = await ReadBlocksAsync(source);

        Assert.Equal([["type=A", "type=B"], ["type=C unterminated"]], blocks);
        Assert.Equal(3, source.Counters.Records);
    }

    [Fact]
    public async Task Following_delivers_lines_appended_later_including_a_line_written_in_two_parts()
    {
        await System.IO.File.WriteAllTextAsync(LogPath, "first\n");
        await using var run = FollowRun.Start(LogPath);
        Assert.Equal("first", await run.NextAsync());

        await AppendAsync(LogPath, "sec");
        await Task.Delay(100);
        await AppendAsync(LogPath, "ond\nthird\n");

        Assert.Equal("second", await run.NextAsync());
        Assert.Equal("third", await run.NextAsync());
    }

    [Fact]
    public async Task Following_survives_rotation_finishing_the_old_file_then_reading_the_new_one()
    {
        await System.IO.File.WriteAllTextAsync(LogPath, "old-1\n");
        await using var run = FollowRun.Start(LogPath);
        Assert.Equal("old-1", await run.NextAsync());

        // auditd's rotation: the writer still appends to the renamed file, then opens a fresh one.
        await using (var writer = new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            System.IO.File.Move(LogPath, LogPath + ".1");
            writer.Write("old-2\nold-unterminated"u8);
        }

        await System.IO.File.WriteAllTextAsync(LogPath, "new-1\n");

        Assert.Equal("old-2", await run.NextAsync());
        Assert.Equal("old-unterminated", await run.NextAsync());
        Assert.Equal("new-1", await run.NextAsync());
        await AppendAsync(LogPath, "new-2\n");
        Assert.Equal("new-2", await run.NextAsync());
        Assert.Equal(1, run.Source.Reopens);
    }

    [Fact]
    public async Task Following_starts_over_when_the_file_is_truncated_in_place()
    {
        await System.IO.File.WriteAllTextAsync(LogPath, "a fairly long first line\n");
        await using var run = FollowRun.Start(LogPath);
        Assert.Equal("a fairly long first line", await run.NextAsync());

        await System.IO.File.WriteAllTextAsync(LogPath, string.Empty); // copytruncate
        await Task.Delay(300);
        await AppendAsync(LogPath, "after\n");

        Assert.Equal("after", await run.NextAsync());
    }

    [Fact]
    public async Task A_missing_log_is_one_clear_sentence()
    {
        var error = await Assert.ThrowsAsync<AuditSourceException>(() => ReadAllAsync(new AuditLogFileSource(LogPath, follow: false, TimeProvider.System)));

        Assert.Equal($"The audit log {LogPath} does not exist.", error.Message);
    }

    [Fact]
    public async Task A_directory_is_one_clear_sentence_and_the_queue_is_completed()
    {
        var queue = Channel.CreateUnbounded<RawAuditRecordBlock>();
        var source = new AuditLogFileSource(_directory, follow: true, TimeProvider.System);

        var error = await Assert.ThrowsAsync<AuditSourceException>(() => source.RunAsync(queue.Writer, CancellationToken.None));

        Assert.StartsWith($"The audit log {_directory} is a directory", error.Message, StringComparison.Ordinal);
        Assert.True(queue.Reader.Completion.IsCompleted);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task AppendAsync(string path, string text) => await System.IO.File.AppendAllTextAsync(path, text);

    private static async Task<List<string>> ReadAllAsync(AuditLogFileSource source) =>
        [.. (await ReadAllBytesAsync(source)).Select(b => Encoding.UTF8.GetString(b))];

    private static async Task<List<List<string>>> ReadBlocksAsync(AuditLogFileSource source)
    {
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(2);
        var reading = source.RunAsync(queue.Writer, CancellationToken.None);
        var blocks = new List<List<string>>();
        await foreach (var block in queue.Reader.ReadAllAsync())
        {
            var lines = new List<string>();
            foreach (var record in block)
            {
                lines.Add(Encoding.UTF8.GetString(record.Data.Span));
            }

            block.Release();
            blocks.Add(lines);
        }

        await reading;
        return blocks;
    }

    private static async Task<List<byte[]>> ReadAllBytesAsync(AuditLogFileSource source)
    {
        var queue = Channel.CreateBounded<RawAuditRecordBlock>(4);
        var reading = source.RunAsync(queue.Writer, CancellationToken.None);
        var records = new List<byte[]>();
        await foreach (var block in queue.Reader.ReadAllAsync())
        {
            foreach (var record in block)
            {
                Assert.Equal(0, record.NetlinkType);
                records.Add(record.Data.ToArray());
            }

            block.Release();
        }

        await reading;
        return records;
    }

    private sealed class FollowRun : IAsyncDisposable
    {
        private readonly Channel<RawAuditRecordBlock> _queue = Channel.CreateUnbounded<RawAuditRecordBlock>();
        private readonly Queue<string> _read = new();
        private readonly CancellationTokenSource _stop = new();
        private Task _running = Task.CompletedTask;

        private FollowRun(AuditLogFileSource source) => Source = source;

        public AuditLogFileSource Source { get; }

        public static FollowRun Start(string path)
        {
            var run = new FollowRun(new AuditLogFileSource(path, follow: true, TimeProvider.System, TimeSpan.FromMilliseconds(20)));
            run._running = run.Source.RunAsync(run._queue.Writer, run._stop.Token);
            return run;
        }

        public async Task<string> NextAsync()
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (_read.Count == 0)
            {
                var block = await _queue.Reader.ReadAsync(timeout.Token);
                foreach (var record in block)
                {
                    _read.Enqueue(Encoding.UTF8.GetString(record.Data.Span));
                }

                block.Release();
            }

            return _read.Dequeue();
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running;
            Assert.True(_queue.Reader.Completion.IsCompleted || _queue.Reader.Count > 0);
            _stop.Dispose();
        }
    }
}
