using System.Buffers.Binary;

namespace ExecDashboard.Sources.Netlink;

/// <summary>One message cut out of a netlink datagram (a header and its payload).</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        Payload = payload;
    }

    public ushort Type { get; }

    public ushort Flags { get; }

    public uint Sequence { get; }

    public ReadOnlySpan<byte> Payload { get; }

    /// <summary>For NLMSG_ERROR: the negated errno the kernel put first in struct nlmsgerr (0 is an ack).</summary>
    public int ErrorCode => Payload.Length >= 4 ? BinaryPrimitives.ReadInt32LittleEndian(Payload) : 0;
}

/// <summary>
/// Walks the messages of one datagram. The kernel may pack several messages in one datagram,
/// each padded to NLMSG_ALIGN (include/uapi/linux/netlink.h); a truncated or lying length ends
/// the walk and is reported through <see cref="Malformed"/> rather than read past.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _rest;
    private bool _lengthExcludesHeader;

    /// <param name="datagram">What one recv returned.</param>
    /// <param name="unicastAuditRecords">
    /// True on the audit daemon's socket. The kernel sends the daemon one record per datagram
    /// with nlmsg_len set to the payload length alone, without the header: a quirk auditd
    /// depends on, fixed only for the multicast group (kernel/audit.c, audit_log_end and
    /// kauditd_send_multicast_skb). Such a datagram is recognised by its length.
    /// </param>
    public NetlinkMessageReader(ReadOnlySpan<byte> datagram, bool unicastAuditRecords = false)
    {
        _rest = datagram;
        _lengthExcludesHeader = unicastAuditRecords
            && datagram.Length >= NetlinkProtocol.HeaderSize
            && BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]) >= AuditProtocol.AUDIT_FIRST_USER_MSG
            && BinaryPrimitives.ReadUInt32LittleEndian(datagram) + NetlinkProtocol.HeaderSize == (uint)datagram.Length;
    }

    /// <summary>True once a message header did not fit the bytes that remained.</summary>
    public bool Malformed { get; private set; }

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_rest.Length < NetlinkProtocol.HeaderSize)
        {
            Malformed |= _rest.Length != 0;
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(_rest);
        if (_lengthExcludesHeader)
        {
            _lengthExcludesHeader = false;
            length += NetlinkProtocol.HeaderSize;
        }

        if (length < NetlinkProtocol.HeaderSize || length > (uint)_rest.Length)
        {
            Malformed = true;
            _rest = default;
            return false;
        }

        message = new NetlinkMessage(
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[4..]),
            BinaryPrimitives.ReadUInt16LittleEndian(_rest[6..]),
            BinaryPrimitives.ReadUInt32LittleEndian(_rest[8..]),
            _rest[NetlinkProtocol.HeaderSize..(int)length]);
        var next = NetlinkProtocol.Align((int)length);
        _rest = next >= _rest.Length ? default : _rest[next..];
        return true;
    }
}
