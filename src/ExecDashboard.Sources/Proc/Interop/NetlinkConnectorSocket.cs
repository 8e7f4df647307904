using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.InteropServices;
using ExecDashboard.Sources.Interop;

namespace ExecDashboard.Sources.Proc.Interop;

/// <summary>
/// A <c>NETLINK_CONNECTOR</c> socket joined to the proc connector group. Thin wrapper over
/// socket(2)/bind(2)/send(2)/recv(2): .NET has no managed netlink family.
/// </summary>
internal sealed unsafe class NetlinkConnectorSocket : SafeHandle
{
    // include/uapi/linux/netlink.h, include/uapi/linux/connector.h, asm-generic/socket.h
    private const int AfNetlink = 16;
    private const int SockDgram = 2;
    private const int SockCloexec = 0x80000;
    private const int NetlinkConnector = 11;
    private const int SolSocket = 1;
    private const int SoRcvbuf = 8;
    private const int SoRcvtimeo = 20;
    private const int SoRcvbufforce = 33;
    private const ushort NlmsgDone = 3;
    private const int MsgDontwait = 0x40;
    public const uint CnIdxProc = 1;
    public const uint CnValProc = 1;

    public const int EAgain = 11;
    public const int EIntr = 4;
    public const int ENoBufs = 105;

    private NetlinkConnectorSocket()
        : base(new IntPtr(-1), ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle.ToInt64() < 0;

    /// <summary>Opens the socket and binds it to the proc connector's multicast group.</summary>
    public static NetlinkConnectorSocket Open(int receiveBufferBytes, TimeSpan receiveTimeout)
    {
        var fd = LibC.Socket(AfNetlink, SockDgram | SockCloexec, NetlinkConnector);
        if (fd < 0)
        {
            throw Failure("socket(AF_NETLINK, NETLINK_CONNECTOR)");
        }

        var socket = new NetlinkConnectorSocket();
        socket.SetHandle(new IntPtr(fd));

        Span<byte> address = stackalloc byte[12]; // struct sockaddr_nl
        address.Clear();
        BinaryPrimitives.WriteUInt16LittleEndian(address, AfNetlink);
        BinaryPrimitives.WriteUInt32LittleEndian(address[8..], CnIdxProc); // nl_groups: proc events
        int bound;
        fixed (byte* sockaddr = address)
        {
            bound = LibC.Bind(socket, sockaddr, (uint)address.Length);
        }

        if (bound != 0)
        {
            var error = Failure("bind(NETLINK_CONNECTOR, CN_IDX_PROC)");
            socket.Dispose();
            throw error;
        }

        // As root, SO_RCVBUFFORCE passes rmem_max; a storm of forks must not overflow the queue.
        var size = receiveBufferBytes;
        if (LibC.SetSocketOption(socket, SolSocket, SoRcvbufforce, &size, sizeof(int)) != 0)
        {
            _ = LibC.SetSocketOption(socket, SolSocket, SoRcvbuf, &size, sizeof(int));
        }

        // A receive timeout lets the reader thread notice it should stop (close(2) of a socket
        // does not wake a thread blocked in recv(2) on Linux).
        var timeout = new TimeVal { Seconds = (long)receiveTimeout.TotalSeconds, Microseconds = receiveTimeout.Ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond };
        if (LibC.SetSocketOption(socket, SolSocket, SoRcvtimeo, &timeout, (uint)sizeof(TimeVal)) != 0)
        {
            var error = Failure("setsockopt(SO_RCVTIMEO)");
            socket.Dispose();
            throw error;
        }

        return socket;
    }

    /// <summary>
    /// Sends a proc connector control operation (PROC_CN_MCAST_LISTEN or _IGNORE); with
    /// <paramref name="eventFilter"/>, a struct proc_input asking for only those events (Linux
    /// 6.6 and later; older kernels ignore the message without an answer).
    /// </summary>
    public void SendControl(uint operation, uint? eventFilter = null)
    {
        // nlmsghdr (16) + cn_msg (20) + enum proc_cn_mcast_op (4) [+ enum proc_cn_event (4)]
        var dataLength = eventFilter is null ? 4 : 8;
        Span<byte> message = stackalloc byte[44];
        message = message[..(36 + dataLength)];
        message.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], NlmsgDone);
        BinaryPrimitives.WriteUInt32LittleEndian(message[12..], (uint)Environment.ProcessId);
        BinaryPrimitives.WriteUInt32LittleEndian(message[16..], CnIdxProc);
        BinaryPrimitives.WriteUInt32LittleEndian(message[20..], CnValProc);
        BinaryPrimitives.WriteUInt16LittleEndian(message[32..], (ushort)dataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(message[36..], operation);
        if (eventFilter is { } filter)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(message[40..], filter);
        }

        nint sent;
        fixed (byte* data = message)
        {
            sent = LibC.SendTo(this, data, (nuint)message.Length, 0, null, 0);
        }

        if (sent != message.Length)
        {
            throw Failure("send(PROC_CN_MCAST_*)");
        }
    }

    /// <summary>Receives one datagram; returns its length, or -errno (-EAGAIN at once without <paramref name="wait"/> when none is queued).</summary>
    public int Receive(Span<byte> buffer, bool wait = true)
    {
        int received;
        fixed (byte* data = buffer)
        {
            received = (int)LibC.Receive(this, data, (nuint)buffer.Length, wait ? 0 : MsgDontwait);
        }

        return received >= 0 ? received : -Marshal.GetLastPInvokeError();
    }

    protected override bool ReleaseHandle() => LibC.Close((int)handle.ToInt64()) == 0;

    private static Win32Exception Failure(string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new Win32Exception(errno, $"{call} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno}).");
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeVal
    {
        public long Seconds;
        public long Microseconds;
    }
}
