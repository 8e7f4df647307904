namespace ExecDashboard.Collector.Options;

/// <summary>Where audit records come from.</summary>
public enum SourceKind
{
    /// <summary>The kernel, over a NETLINK_AUDIT socket (needs privilege).</summary>
    Netlink,

    /// <summary>An auditd log file, read or followed (needs only read access).</summary>
    File,
}
