using System.Runtime.InteropServices;

namespace ExecDashboard.Sources.Interop;

/// <summary>
/// A netlink socket of any family (audit, connector): thin, safe wrappers over
/// socket/bind/sendto/recv/setsockopt. Setup failures throw <see cref="SystemCallException"/>;
/// the receive hot path returns a negated errno instead.
/// </summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    /// <summary>struct sockaddr_nl: u16 family, u16 pad, u32 pid, u32 groups.</summary>
    private const int SocketAddressSize = 12;

    private readonly NetlinkSocketHandle _handle;
    private readonly NetlinkFamily _family;

    private NetlinkSocket(NetlinkSocketHandle handle, NetlinkFamily family)
    {
        _handle = handle;
        _family = family;
    }

    /// <summary>Opens a socket of <paramref name="family"/> bound to a kernel-chosen port, joined to <paramref name="multicastGroups"/> (a bitmask).</summary>
    public static NetlinkSocket Open(NetlinkFamily family, uint multicastGroups = 0)
    {
        ArgumentNullException.ThrowIfNull(family);
        var fd = LibC.Socket(LibC.AF_NETLINK, family.SocketType | LibC.SOCK_CLOEXEC, family.Protocol);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError($"socket(AF_NETLINK, {family.Name})");
        }

        var socket = new NetlinkSocket(NetlinkSocketHandle.Adopt(fd), family);
        try
        {
            socket.Bind(multicastGroups);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one request to the kernel (port 0).</summary>
    public void Send(ReadOnlySpan<byte> message, string what)
    {
        Span<byte> kernel = stackalloc byte[SocketAddressSize];
        kernel.Clear();
        kernel[0] = LibC.AF_NETLINK;
        while (true)
        {
            nint sent;
            fixed (byte* data = message)
            fixed (byte* address = kernel)
            {
                sent = LibC.SendTo(_handle, data, (nuint)message.Length, 0, address, (uint)kernel.Length);
            }

            if (sent >= 0)
            {
                return;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR)
            {
                throw new SystemCallException($"sendto({what})", errno);
            }
        }
    }

    /// <summary>
    /// Receives one datagram; returns its length, or the negated errno (no exception on the hot
    /// path). Without <paramref name="wait"/>, returns -EAGAIN at once when nothing is queued.
    /// </summary>
    public int Receive(Span<byte> buffer, bool wait = true)
    {
        nint received;
        fixed (byte* data = buffer)
        {
            received = LibC.Receive(_handle, data, (nuint)buffer.Length, wait ? 0 : LibC.MSG_DONTWAIT);
        }

        return received >= 0 ? (int)received : -Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Receives as many queued datagrams as <paramref name="batch"/> holds with one system call;
    /// returns how many, or the negated errno. With <paramref name="wait"/>, blocks (up to the
    /// receive timeout) for the first one only.
    /// </summary>
    public int ReceiveBatch(DatagramBatch batch, bool wait)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var received = LibC.ReceiveMany(_handle, batch.Headers, (uint)batch.Capacity, wait ? LibC.MSG_WAITFORONE : LibC.MSG_DONTWAIT, null);
        return received >= 0 ? received : -Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Waits until a datagram is queued, without taking it; returns 1 when one is, 0 when
    /// <paramref name="timeout"/> passed, or the negated errno.
    /// </summary>
    public int WaitForData(TimeSpan timeout)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var descriptor = new LibC.PollDescriptor { Fd = (int)_handle.DangerousGetHandle(), Events = LibC.POLLIN };
            var ready = LibC.Poll(&descriptor, 1, (int)timeout.TotalMilliseconds);
            return ready >= 0 ? Math.Min(ready, 1) : -Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                _handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Asks for a receive buffer of <paramref name="bytes"/>: SO_RCVBUFFORCE ignores net.core.rmem_max
    /// but needs CAP_NET_ADMIN, so fall back to SO_RCVBUF (capped by rmem_max). Returns what the
    /// kernel granted (it reports twice the requested size, see socket(7)).
    /// </summary>
    public int SetReceiveBuffer(int bytes)
    {
        var value = bytes;
        if (LibC.SetSocketOption(_handle, LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, &value, sizeof(int)) != 0
            && LibC.SetSocketOption(_handle, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &value, sizeof(int)) != 0)
        {
            throw SystemCallException.FromLastError("setsockopt(SO_RCVBUF)");
        }

        var granted = 0;
        var length = (uint)sizeof(int);
        if (LibC.GetSocketOption(_handle, LibC.SOL_SOCKET, LibC.SO_RCVBUF, &granted, &length) != 0)
        {
            throw SystemCallException.FromLastError("getsockopt(SO_RCVBUF)");
        }

        return granted;
    }

    /// <summary>Makes <see cref="Receive"/> return -EAGAIN after <paramref name="timeout"/> without data.</summary>
    public void SetReceiveTimeout(TimeSpan timeout)
    {
        // struct timeval { long tv_sec; long tv_usec; } on the 64-bit ABIs we build for.
        Span<long> timeval = [(long)timeout.TotalSeconds, timeout.Microseconds + (timeout.Milliseconds * 1000L)];
        fixed (long* value = timeval)
        {
            if (LibC.SetSocketOption(_handle, LibC.SOL_SOCKET, LibC.SO_RCVTIMEO, value, sizeof(long) * 2) != 0)
            {
                throw SystemCallException.FromLastError("setsockopt(SO_RCVTIMEO)");
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private void Bind(uint multicastGroups)
    {
        Span<byte> address = stackalloc byte[SocketAddressSize];
        address.Clear();
        address[0] = LibC.AF_NETLINK;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(address[8..], multicastGroups);
        fixed (byte* data = address)
        {
            if (LibC.Bind(_handle, data, (uint)address.Length) != 0)
            {
                throw SystemCallException.FromLastError(multicastGroups == 0 ? $"bind({_family.Name})" : $"bind({_family.Name}, groups 0x{multicastGroups:x})");
            }
        }
    }
}
