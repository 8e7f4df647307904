using System.Threading.Channels;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Sources.Interop;

namespace ExecDashboard.Sources.Proc;

/// <summary>
/// Process lifecycle (fork and exit of thread-group leaders) from the kernel's proc connector
/// (<c>NETLINK_CONNECTOR</c>, group <c>CN_IDX_PROC</c>), read on a dedicated thread into a channel,
/// or by the pipeline itself when it needs an event the thread has not read yet (<see cref="ReadPending"/>).
/// </summary>
/// <remarks>
/// Needs CAP_NET_ADMIN in the initial user namespace (root); without it <see cref="TryStart"/>
/// says why and the collector runs on without exact lifetimes (PID reuse is then told by start
/// ticks and ppid only).
/// Ordering: the connector and the audit stream are separate sockets, so a fork may be read
/// after the child's exec record, or an exit before it. The pipeline drains this channel
/// before attaching each exec; <see cref="ProcessTable"/> reconciles what still arrives late by
/// start ticks (a late fork keeps the key the exec gave, an exit that overtook its exec within
/// <see cref="ProcessTableOptions.ReorderWindow"/> still owns that exec).
/// </remarks>
public sealed class ProcConnectorSource : IDisposable
{
    private const uint ProcCnMcastListen = 1;
    private const uint ProcCnMcastIgnore = 2;

    // include/uapi/linux/cn_proc.h: PROC_EVENT_FORK | PROC_EVENT_EXIT. Exec, comm, uid and the
    // other events are of no use to us; filtered in the kernel (cn_proc.c, cn_filter), they cost
    // no wake-up and no receive (an exec storm otherwise sends one exec event per exec too).
    private const uint ForkAndExitEvents = 0x1 | 0x80000000;
    private const int ReceiveBufferBytes = 8 << 20;
    private static readonly TimeSpan ReceiveTimeout = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan AckTimeout = TimeSpan.FromSeconds(1);

    // A shell loop sends a fork and an exit per exec; with a pause of 1 ms each woke this thread
    // on its own at 1,000 execs/s (measured: as much CPU as the pipeline's parsing and output).
    // The pipeline reads the forks it needs itself (ReadPending), so this pause only delays
    // exits, and 50 ms of a fork storm (two events per process) still fits the receive buffer.
    private static readonly TimeSpan BatchPause = TimeSpan.FromMilliseconds(50);

    private readonly ProcConnectorSocket _socket;
    private readonly ChannelWriter<ProcessLifecycleEvent> _writer;
    private readonly BootClock _clock;
    private readonly Action<string> _failed;
    private readonly Thread _thread;
    private readonly Lock _readGate = new();

    // One event per datagram; read under _readGate only.
    private readonly byte[] _buffer = new byte[8192];
    private volatile bool _stopping;
    private bool _readFailed;
    private bool _disposed;
    private long _forks;
    private long _exits;
    private long _overruns;
    private long _dropped;
    private long _droppedExits;
    private long _malformed;

    private ProcConnectorSource(ProcConnectorSocket socket, ChannelWriter<ProcessLifecycleEvent> writer, BootClock clock, Action<string> failed)
    {
        _socket = socket;
        _writer = writer;
        _clock = clock;
        _failed = failed;
        _thread = new Thread(ReceiveLoop) { IsBackground = true, Name = "proc connector" };
    }

    public long Forks => Interlocked.Read(ref _forks);

    public long Exits => Interlocked.Read(ref _exits);

    /// <summary>Times the kernel reported our receive queue overflowed (ENOBUFS): events were lost.</summary>
    public long Overruns => Interlocked.Read(ref _overruns);

    /// <summary>Events the channel refused (full).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Of <see cref="Dropped"/>, the exits: process ends that never reach the output.</summary>
    public long DroppedExits => Interlocked.Read(ref _droppedExits);

    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Set when the reader thread has returned (stopped, or failed and reported why).</summary>
    internal ManualResetEventSlim ReaderStopped { get; } = new();

    /// <summary>
    /// Subscribes to process events and starts the reader thread. Returns false, with one
    /// sentence for the user, when the connector is unavailable (no privilege, no
    /// CONFIG_PROC_EVENTS, not in the initial PID namespace).
    /// </summary>
    public static bool TryStart(ChannelWriter<ProcessLifecycleEvent> writer, BootClock clock, Action<string> failed, out ProcConnectorSource? source, out string? unavailable)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(failed);
        source = null;
        ProcConnectorSocket socket;
        uint ackError;
        try
        {
            socket = ProcConnectorSocket.Open(ReceiveBufferBytes, ReceiveTimeout);
            socket.SendControl(ProcCnMcastListen);
            ackError = AwaitAck(socket) ?? 0; // kernels that never answer: trust the subscription
            if (ackError == 0)
            {
                // Then narrow it to forks and exits. Linux 6.6 and later apply this filter (and,
                // by the same filter, send no answer); older kernels ignore a control message of
                // this size without an answer and keep sending every event, which is harmless.
                socket.SendControl(ProcCnMcastListen, ForkAndExitEvents);
            }
        }
        catch (SystemCallException e)
        {
            unavailable = $"Process events (proc connector) are unavailable, continuing without exact process lifetimes: {e.Message}";
            return false;
        }

        if (ackError != 0)
        {
            socket.Dispose();
            unavailable = $"Process events (proc connector) are unavailable, continuing without exact process lifetimes: the kernel refused to listen (errno {ackError}; needs root or CAP_NET_ADMIN).";
            return false;
        }

        source = new ProcConnectorSource(socket, writer, clock, failed);
        source._thread.Start();
        unavailable = null;
        return true;
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        try
        {
            _socket.SendControl(ProcCnMcastIgnore);
        }
        catch (SystemCallException)
        {
            // Closing the socket unsubscribes as well; IGNORE only lets the kernel stop early.
        }

        lock (_readGate)
        {
            _disposed = true;
            _socket.Dispose();
        }

        ReaderStopped.Dispose();
    }

    // The kernel answers LISTEN with an event of kind NONE carrying an errno (cn_proc.c,
    // cn_proc_mcast_ctl). Older kernels may not: null.
    private static uint? AwaitAck(ProcConnectorSocket socket)
    {
        Span<byte> buffer = stackalloc byte[256];
        var deadline = Environment.TickCount64 + (long)AckTimeout.TotalMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            var length = socket.Receive(buffer);
            if (length < 0)
            {
                if (-length is Errno.EAGAIN)
                {
                    return null;
                }

                continue;
            }

            var message = ProcConnectorMessage.Parse(buffer[..length]);
            if (message.Kind == ProcConnectorMessageKind.Ack)
            {
                return message.AckError;
            }
        }

        return null;
    }

    private void ReceiveLoop()
    {
        try
        {
            Receive();
        }
        finally
        {
            ReaderStopped.Set();
        }
    }

    private void Receive()
    {
        // Wait for an event without taking it, read everything queued, then pause before waiting
        // again: one event per datagram, and a blocking recv per event costs a sleep and a
        // wake-up each. Events wait at most BatchPause longer; the pipeline reads what is queued
        // itself (ReadPending) when an exec's fork is not here yet, so the pause costs no
        // correctness and no /proc read.
        while (!_stopping)
        {
            var ready = _socket.WaitForData(ReceiveTimeout);
            if (ready < 0 && -ready != Errno.EINTR)
            {
                Fail("poll(proc connector events)", -ready);
                return;
            }

            if (ready > 0)
            {
                if (!ReadPending())
                {
                    return;
                }

                Thread.Sleep(BatchPause);
            }
        }
    }

    /// <summary>
    /// Reads every event queued on the socket into the channel, now, on the calling thread: the
    /// reader thread's pause lets an exec's fork wait in the socket, and the pipeline reads it
    /// here rather than the process's start from /proc. One reader at a time keeps the kernel's
    /// order. False once reading has failed (said once through the failure callback) or stopped.
    /// </summary>
    public bool ReadPending()
    {
        lock (_readGate)
        {
            if (_readFailed || _disposed)
            {
                return false;
            }

            while (true)
            {
                var length = _socket.Receive(_buffer, wait: false);
                if (length >= 0)
                {
                    Handle(ProcConnectorMessage.Parse(_buffer.AsSpan(0, length)));
                    continue;
                }

                switch (-length)
                {
                    case Errno.ENOBUFS:
                        Interlocked.Increment(ref _overruns);
                        continue;
                    case Errno.EAGAIN:
                        return true;
                    case Errno.EINTR:
                        continue;
                    default:
                        // Anything else (EBADF, ENOTSOCK, EFAULT) will not heal by retrying: a loop
                        // around it would spin a core. Stop reading and say so once; the collector
                        // goes on with start ticks and ppids, as without the connector.
                        Fail("recv(proc connector events)", -length);
                        return false;
                }
            }
        }
    }

    private void Fail(string call, int errno)
    {
        _readFailed = true;
        if (!_stopping)
        {
            _failed(new SystemCallException(call, errno).Message + "; continuing without exact process lifetimes.");
        }
    }

    private long StartTicksAt(ulong timestampNs) => (long)(timestampNs / (1_000_000_000UL / (ulong)_clock.TicksPerSecond));

    private void Handle(ProcConnectorMessage message)
    {
        ProcessLifecycleEvent lifecycle;
        var time = _clock.BootTime + TimeSpan.FromTicks((long)(message.TimestampNs / 100));
        switch (message.Kind)
        {
            case ProcConnectorMessageKind.Fork:
                Interlocked.Increment(ref _forks);

                // The child's start comes from the event's own timestamp, not from /proc/PID/stat:
                // reading /proc at every fork cost more CPU than the rest of the collector in an
                // exec storm. timestamp_ns is ktime_get_ns() (CLOCK_MONOTONIC) taken just after
                // copy_process set start_boottime (kernel/fork.c; drivers/connector/cn_proc.c,
                // proc_fork_connector), and /proc's start is start_boottime in USER_HZ ticks
                // (fs/proc/array.c). The two clocks agree until the machine suspends (boottime
                // then runs ahead); the few microseconds between them may cross a tick boundary,
                // so the process table accepts one tick of difference from a /proc-measured start.
                lifecycle = ProcessLifecycleEvent.Fork(message.ParentPid, message.Pid, time, StartTicksAt(message.TimestampNs));
                break;
            case ProcConnectorMessageKind.Exit:
                Interlocked.Increment(ref _exits);
                lifecycle = ProcessLifecycleEvent.Exit(message.Pid, time, ExitStatus.FromWaitStatus(message.ExitCode));
                break;
            case ProcConnectorMessageKind.Malformed:
                Interlocked.Increment(ref _malformed);
                return;
            default:
                return;
        }

        if (!_writer.TryWrite(lifecycle))
        {
            Interlocked.Increment(ref _dropped);
            if (message.Kind == ProcConnectorMessageKind.Exit)
            {
                Interlocked.Increment(ref _droppedExits);
            }
        }
    }
}
