using System.Buffers.Binary;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// Facts from include/uapi/linux/netlink.h. Netlink is host-endian; every machine we run on is
/// little-endian, which <see cref="NetlinkAuditSource"/> checks once at start.
/// </summary>
internal static class NetlinkProtocol
{
    /// <summary>struct nlmsghdr: u32 len, u16 type, u16 flags, u32 seq, u32 pid.</summary>
    public const int HeaderSize = 16;

    public const ushort NLM_F_REQUEST = 0x01;
    public const ushort NLM_F_MULTI = 0x02;
    public const ushort NLM_F_ACK = 0x04;

    public const ushort NLMSG_NOOP = 1;
    public const ushort NLMSG_ERROR = 2;
    public const ushort NLMSG_DONE = 3;
    public const ushort NLMSG_OVERRUN = 4;

    /// <summary>NLMSG_ALIGN: every message in a datagram starts on a 4-byte boundary.</summary>
    public static int Align(int length) => (length + 3) & ~3;

    /// <summary>Writes a request header followed by <paramref name="payload"/>; returns the message length.</summary>
    public static int WriteRequest(Span<byte> destination, ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        var length = HeaderSize + payload.Length;
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], type);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], flags);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], 0);
        payload.CopyTo(destination[HeaderSize..]);
        return length;
    }
}
