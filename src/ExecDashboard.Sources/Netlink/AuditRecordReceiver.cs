using System.Threading.Channels;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Sources.Interop;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// The receive loop on its own thread (not the thread pool: it blocks in recv for its whole life).
/// It reads datagrams, a batch per system call, into reusable buffers, cuts them into messages and copies each record
/// into the channel. When the channel is full it waits: records then queue in the socket and, as
/// daemon, in the kernel's backlog, which counts anything it must drop in its <c>lost</c> counter.
/// </summary>
/// <remarks>
/// Each record is a block of its own, so the queue's capacity (<c>--queue-capacity</c>) stays a
/// number of records: a block per receive batch would hold fewer records whenever batches are not
/// full (a trickle behind a stalled consumer), and the kernel would start dropping sooner.
/// </remarks>
internal sealed class AuditRecordReceiver
{
    /// <summary>recv wakes at least this often to notice <see cref="Stop"/>.</summary>
    internal static readonly TimeSpan WakeInterval = TimeSpan.FromMilliseconds(200);

    // At most this much latency is added to let records gather in the socket. An exec is about
    // eight records; with 1 ms, a shell loop at 1,000 execs/s still woke this thread for each exec
    // (and the pipeline thread with it); 40 ms gathers several execs per wake-up even when a busy
    // machine slows the loop to a few hundred a second (measured, see ExecPipeline's pause). A
    // storm loses nothing by it: a full batch is followed by the next receive without a pause.
    private static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(40);

    // The kernel caps one record at MAX_AUDIT_MESSAGE_LENGTH (8970, kernel/audit.c); a datagram may hold several.
    private const int DatagramSize = 64 * 1024;

    // Each record is its own datagram, about eight per exec: one recvmmsg takes a batch of them
    // where one recv each cost a system call per record (measured: most of this thread's CPU once
    // it no longer woke per exec).
    private const int BatchDatagrams = 32;

    private readonly NetlinkSocket _socket;
    private readonly ChannelWriter<RawAuditRecordBlock> _writer;
    private readonly AuditSourceCounters _counters;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private readonly IReadOnlyList<RawAuditRecord> _first;
    private readonly bool _unicast;
    private long _overruns;
    private long _malformed;

    public AuditRecordReceiver(NetlinkSocket socket, bool unicast, ChannelWriter<RawAuditRecordBlock> writer, AuditSourceCounters counters, IReadOnlyList<RawAuditRecord> first)
    {
        _unicast = unicast;
        _socket = socket;
        _writer = writer;
        _counters = counters;
        _first = first;
        _thread = new Thread(Run) { IsBackground = true, Name = "netlink audit receive" };
    }

    /// <summary>Completes when the loop ends; faults with the error that ended it.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Times the socket overflowed (ENOBUFS or NLMSG_OVERRUN): records were lost, how many is unknown.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>Datagrams whose message lengths did not add up; the rest of such a datagram is skipped.</summary>
    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    public void Start() => _thread.Start();

    public void Stop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }

    /// <summary>Waits for the thread to leave recv (it wakes every <see cref="WakeInterval"/>).</summary>
    public bool Join(TimeSpan timeout) => !_thread.IsAlive || _thread.Join(timeout);

    /// <summary>Copies a record payload, without the NULs and newline the kernel may leave at its end.</summary>
    internal static RawAuditRecord Copy(ushort type, ReadOnlySpan<byte> payload) =>
        new(type, payload.TrimEnd("\0\n"u8).ToArray());

    private void Run()
    {
        try
        {
            foreach (var record in _first)
            {
                if (!Deliver(record))
                {
                    break;
                }
            }

            // Drain what is queued without blocking, then pause once before blocking: in an exec
            // storm each record is its own datagram, and a blocking recv per record costs a
            // sleep and a wake-up each (measured: most of this thread's CPU). One pause per idle
            // moment turns those into at most one wake-up per BatchPause; an idle source blocks.
            var batch = new DatagramBatch(BatchDatagrams, DatagramSize);
            var paused = false;
            while (!_stop.IsCancellationRequested)
            {
                var outcome = ReceiveBatch(batch, wait: paused);
                if (outcome == ReceiveOutcome.Ended)
                {
                    break;
                }

                if (outcome == ReceiveOutcome.Delivered)
                {
                    paused = false;
                }
                else if (outcome == ReceiveOutcome.Drained || !paused)
                {
                    // A batch short of full emptied the socket: no need for a receive to say so.
                    paused = true;
                    Thread.Sleep(BatchPause);
                }
            }

            _completion.TrySetResult();
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
        }
    }

    /// <summary>Receives and delivers what is queued, up to a batch of datagrams.</summary>
    private ReceiveOutcome ReceiveBatch(DatagramBatch batch, bool wait)
    {
        var count = _socket.ReceiveBatch(batch, wait);
        if (count < 0)
        {
            switch (-count)
            {
                case Errno.EAGAIN or Errno.EINTR:
                    return ReceiveOutcome.Empty;
                case Errno.ENOBUFS:
                    // The socket buffer overflowed and the kernel dropped records for us (multicast
                    // only; unicast to the daemon waits in the kernel backlog instead). Count, go on.
                    CountOverrun();
                    return ReceiveOutcome.Delivered;
                default:
                    throw new SystemCallException("recvmmsg(audit records)", -count);
            }
        }

        for (var i = 0; i < count; i++)
        {
            if (!DeliverDatagram(batch[i], batch.Truncated(i)))
            {
                return ReceiveOutcome.Ended;
            }
        }

        return count == batch.Capacity ? ReceiveOutcome.Delivered : ReceiveOutcome.Drained;
    }

    private bool DeliverDatagram(ReadOnlySpan<byte> datagram, bool truncated)
    {
        var reader = new NetlinkMessageReader(datagram, _unicast);
        while (reader.TryRead(out var message))
        {
            if (message.Type == NetlinkProtocol.NLMSG_OVERRUN)
            {
                CountOverrun();
            }
            else if (message.Type >= AuditProtocol.AUDIT_FIRST_USER_MSG && !Deliver(Copy(message.Type, message.Payload)))
            {
                return false;
            }

            // Anything else (NLMSG_NOOP, NLMSG_DONE, acks, control replies) carries no record.
        }

        if (reader.Malformed || truncated)
        {
            Interlocked.Increment(ref _malformed);
        }

        return true;
    }

    private bool Deliver(RawAuditRecord record)
    {
        while (!_writer.TryWrite(RawAuditRecordBlock.Of(record)))
        {
            try
            {
                if (!_writer.WaitToWriteAsync(_stop.Token).AsTask().GetAwaiter().GetResult())
                {
                    return false; // the consumer completed the channel
                }
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        _counters.AddRecord();
        return true;
    }

    private void CountOverrun()
    {
        Interlocked.Increment(ref _overruns);
        _counters.AddQueueDrop();
    }

    private enum ReceiveOutcome
    {
        /// <summary>A full batch: more may be queued.</summary>
        Delivered,

        /// <summary>Fewer than a batch: the socket is empty now.</summary>
        Drained,
        Empty,
        Ended,
    }
}
