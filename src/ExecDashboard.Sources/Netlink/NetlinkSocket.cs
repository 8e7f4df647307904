using ExecDashboard.Sources.Interop;
using System.Runtime.InteropServices;
using ExecDashboard.Sources.Netlink.Interop;

namespace ExecDashboard.Sources.Netlink;

/// <summary>A NETLINK_AUDIT socket: thin, safe wrappers over socket/bind/sendto/recv/setsockopt.</summary>
internal sealed unsafe class NetlinkSocket : IDisposable
{
    private readonly NetlinkSocketHandle _handle;

    private NetlinkSocket(NetlinkSocketHandle handle) => _handle = handle;

    /// <summary>Opens an audit socket bound to a kernel-chosen port, joined to <paramref name="multicastGroups"/> (a bitmask).</summary>
    public static NetlinkSocket Open(uint multicastGroups = 0)
    {
        var fd = LibC.Socket(LibC.AF_NETLINK, LibC.SOCK_RAW | LibC.SOCK_CLOEXEC, NetlinkProtocol.NETLINK_AUDIT);
        if (fd < 0)
        {
            throw SystemCallException.FromLastError("socket(AF_NETLINK, NETLINK_AUDIT)");
        }

        var socket = new NetlinkSocket(NetlinkSocketHandle.Adopt(fd));
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
        Span<byte> kernel = stackalloc byte[NetlinkProtocol.SocketAddressSize];
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
        Span<byte> address = stackalloc byte[NetlinkProtocol.SocketAddressSize];
        address.Clear();
        address[0] = LibC.AF_NETLINK;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(address[8..], multicastGroups);
        fixed (byte* data = address)
        {
            if (LibC.Bind(_handle, data, (uint)address.Length) != 0)
            {
                throw SystemCallException.FromLastError(multicastGroups == 0 ? "bind(AF_NETLINK)" : "bind(AF_NETLINK, AUDIT_NLGRP_READLOG)");
            }
        }
    }
}
