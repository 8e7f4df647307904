namespace ExecDashboard.Audit.Sources;

/// <summary>
/// One audit record as a source delivered it, not yet parsed.
/// </summary>
/// <param name="NetlinkType">
/// The record type from the netlink message header (for example 1300 for SYSCALL), or 0 when
/// <paramref name="Data"/> is a log line that names its own type (<c>type=SYSCALL ...</c>).
/// </param>
/// <param name="Data">
/// For netlink: the payload, <c>audit(1700000000.123:42): key=value ...</c>. For logs: the
/// whole line without its newline, possibly starting with <c>node=</c>.
/// </param>
public readonly record struct RawAuditRecord(ushort NetlinkType, ReadOnlyMemory<byte> Data);
