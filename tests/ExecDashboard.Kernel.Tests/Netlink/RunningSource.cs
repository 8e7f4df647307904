using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Sources.Netlink;

namespace ExecDashboard.Kernel.Tests.Netlink;

/// <summary>A <see cref="NetlinkAuditSource"/> running against the real kernel, with everything it delivered kept for assertions.</summary>
internal sealed class RunningSource : IAsyncDisposable
{
    private readonly Channel<RawAuditRecordBlock> _channel;
    private readonly CancellationTokenSource _cancel = new();
    private readonly List<RawAuditRecord> _records = [];
    private readonly TaskCompletionSource _collecting = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _collect;

    private RunningSource(NetlinkAuditSource source, Channel<RawAuditRecordBlock> channel, bool collect)
    {
        Source = source;
        _channel = channel;
        Run = source.RunAsync(channel.Writer, _cancel.Token);
        _collect = CollectAsync();
        if (collect)
        {
            StartCollecting();
        }
    }

    public NetlinkAuditSource Source { get; }

    public Task Run { get; }

    /// <param name="key">Our rule key.</param>
    /// <param name="mode">Daemon, multicast or auto.</param>
    /// <param name="capacity">Channel capacity.</param>
    /// <param name="collect">False leaves the channel unread until <see cref="StartCollecting"/>, as a stalled consumer would.</param>
    public static RunningSource Start(string key, NetlinkAuditMode mode = NetlinkAuditMode.Auto, int capacity = 200_000, bool collect = true)
    {
        var channel = Channel.CreateBounded<RawAuditRecordBlock>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });
        var running = new RunningSource(new NetlinkAuditSource(new NetlinkAuditSourceOptions { RuleKey = key, Mode = mode }), channel, collect);
        if (running.Run.IsFaulted)
        {
            running.Run.GetAwaiter().GetResult();
        }

        return running;
    }

    /// <summary>Runs <c>/bin/true</c> with a distinctive argument and returns that argument.</summary>
    public static string ExecProbe()
    {
        var marker = $"execdash-probe-{Guid.NewGuid():N}";
        using var process = Process.Start("/bin/true", marker);
        process.WaitForExit();
        return marker;
    }

    /// <summary>Waits for the EXECVE record naming <paramref name="marker"/> and returns every record of its event, in order.</summary>
    public IReadOnlyList<(ushort Type, string Text)> WaitForEventOf(string marker, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (timeout ?? TimeSpan.FromSeconds(10)))
        {
            List<(ushort Type, string Text)> records;
            lock (_records)
            {
                records = [.. _records.Select(r => (r.NetlinkType, Encoding.UTF8.GetString(r.Data.Span)))];
            }

            var execve = records.FindIndex(r => r.Type == 1309 && r.Text.Contains(marker, StringComparison.Ordinal));
            if (execve >= 0)
            {
                var serial = SerialOf(records[execve].Text);
                var ofEvent = records.Where(r => SerialOf(r.Text) == serial).ToList();
                
                if (ofEvent.Any(r => r.Type == 1320))
                {
                    return ofEvent;
                }
            }

            if (Run.IsCompleted)
            {
                Run.GetAwaiter().GetResult();
                throw new InvalidOperationException("The source stopped before the exec arrived.");
            }

            Thread.Sleep(20);
        }

        throw new TimeoutException($"No complete event for {marker} arrived.");
    }

    /// <summary>Everything delivered so far, as text.</summary>
    public IReadOnlyList<(ushort Type, string Text)> Records()
    {
        lock (_records)
        {
            return [.. _records.Select(r => (r.NetlinkType, Encoding.UTF8.GetString(r.Data.Span)))];
        }
    }

    /// <summary>Stops the run by cancellation (as the host does) and waits for it to complete the channel.</summary>
    public async Task CancelAsync()
    {
        await _cancel.CancelAsync();
        await Run;
        await _collect;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Source.DisposeAsync();
        }
        finally
        {
            StartCollecting();
            await _cancel.CancelAsync();
            await Task.WhenAny(Run, Task.Delay(TimeSpan.FromSeconds(10)));
            _cancel.Dispose();
        }
    }

    /// <summary>The serial number in <c>audit(SECONDS.MILLIS:SERIAL): ...</c>.</summary>
    internal static string SerialOf(string record)
    {
        var colon = record.IndexOf(':', StringComparison.Ordinal);
        var close = record.IndexOf(')', StringComparison.Ordinal);
        return colon > 0 && close > colon ? record[(colon + 1)..close] : "";
    }

    public void StartCollecting() => _collecting.TrySetResult();

    private async Task CollectAsync()
    {
        await _collecting.Task;
        await foreach (var block in _channel.Reader.ReadAllAsync())
        {
            lock (_records)
            {
                foreach (var record in block)
                {
                    _records.Add(record);
                }
            }
        }
    }
}
