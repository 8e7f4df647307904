using System.Buffers.Binary;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// An AUDIT_SET request: only the fields that are set are sent (their bit in the mask), so the
/// kernel leaves every other setting alone.
/// </summary>
public sealed record AuditStatusChange
{
    public uint? Enabled { get; init; }

    public uint? Failure { get; init; }

    /// <summary>Our own PID registers us as the audit daemon; 0 unregisters (only the daemon itself may).</summary>
    public uint? Pid { get; init; }

    public uint? RateLimit { get; init; }

    public uint? BacklogLimit { get; init; }

    public uint? BacklogWaitTime { get; init; }

    public bool IsEmpty => this == new AuditStatusChange();

    internal void WriteTo(Span<byte> status)
    {
        status[..AuditStatus.Size].Clear();
        var mask = 0u;
        Put(status, 1, Enabled, AuditProtocol.AUDIT_STATUS_ENABLED, ref mask);
        Put(status, 2, Failure, AuditProtocol.AUDIT_STATUS_FAILURE, ref mask);
        Put(status, 3, Pid, AuditProtocol.AUDIT_STATUS_PID, ref mask);
        Put(status, 4, RateLimit, AuditProtocol.AUDIT_STATUS_RATE_LIMIT, ref mask);
        Put(status, 5, BacklogLimit, AuditProtocol.AUDIT_STATUS_BACKLOG_LIMIT, ref mask);
        Put(status, 9, BacklogWaitTime, AuditProtocol.AUDIT_STATUS_BACKLOG_WAIT_TIME, ref mask);
        BinaryPrimitives.WriteUInt32LittleEndian(status, mask);
    }

    private static void Put(Span<byte> status, int index, uint? value, uint bit, ref uint mask)
    {
        if (value is { } v)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(status[(index * 4)..], v);
            mask |= bit;
        }
    }
}
