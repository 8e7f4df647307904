namespace ExecDashboard.Sources.Interop;

/// <summary>A netlink protocol family with the socket type its kernel side expects (include/uapi/linux/netlink.h).</summary>
internal sealed record NetlinkFamily(int Protocol, int SocketType, string Name)
{
    /// <summary>The audit subsystem: rules, status and records (kernel/audit.c).</summary>
    public static readonly NetlinkFamily Audit = new(9, LibC.SOCK_RAW, "NETLINK_AUDIT");

    /// <summary>The connector bus, whose proc connector reports forks and exits (drivers/connector/cn_proc.c).</summary>
    public static readonly NetlinkFamily Connector = new(11, LibC.SOCK_DGRAM, "NETLINK_CONNECTOR");
}
