using System.Buffers.Binary;
using ExecDashboard.Sources.Interop;

namespace ExecDashboard.Sources.Proc;

/// <summary>A <see cref="NetlinkFamily.Connector"/> socket joined to the proc connector's group, with its control messages.</summary>
internal sealed class ProcConnectorSocket : IDisposable
{
    // include/uapi/linux/connector.h
    private const uint CnIdxProc = 1;
    private const uint CnValProc = 1;

    private readonly NetlinkSocket _socket;

    private ProcConnectorSocket(NetlinkSocket socket) => _socket = socket;

    /// <summary>Opens the socket and binds it to the proc connector's multicast group.</summary>
    public static ProcConnectorSocket Open(int receiveBufferBytes, TimeSpan receiveTimeout)
    {
        var socket = NetlinkSocket.Open(NetlinkFamily.Connector, multicastGroups: CnIdxProc);
        try
        {
            // As root, SO_RCVBUFFORCE passes rmem_max; a storm of forks must not overflow the queue.
            socket.SetReceiveBuffer(receiveBufferBytes);

            // A receive timeout lets the reader thread notice it should stop (close(2) of a
            // socket does not wake a thread blocked in recv(2) on Linux).
            socket.SetReceiveTimeout(receiveTimeout);
            return new ProcConnectorSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
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
        BinaryPrimitives.WriteUInt16LittleEndian(message[4..], 3); // NLMSG_DONE: one message, no parts
        BinaryPrimitives.WriteUInt32LittleEndian(message[12..], (uint)Environment.ProcessId);
        BinaryPrimitives.WriteUInt32LittleEndian(message[16..], CnIdxProc);
        BinaryPrimitives.WriteUInt32LittleEndian(message[20..], CnValProc);
        BinaryPrimitives.WriteUInt16LittleEndian(message[32..], (ushort)dataLength);
        BinaryPrimitives.WriteUInt32LittleEndian(message[36..], operation);
        if (eventFilter is { } filter)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(message[40..], filter);
        }

        _socket.Send(message, "PROC_CN_MCAST_*");
    }

    /// <inheritdoc cref="NetlinkSocket.Receive"/>
    public int Receive(Span<byte> buffer, bool wait = true) => _socket.Receive(buffer, wait);

    /// <inheritdoc cref="NetlinkSocket.WaitForData"/>
    public int WaitForData(TimeSpan timeout) => _socket.WaitForData(timeout);

    public void Dispose() => _socket.Dispose();
}
