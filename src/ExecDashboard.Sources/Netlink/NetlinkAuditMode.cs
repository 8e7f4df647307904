namespace ExecDashboard.Sources.Netlink;

/// <summary>How the source gets records from the kernel.</summary>
public enum NetlinkAuditMode
{
    /// <summary>Multicast when another audit daemon is alive, otherwise become the daemon.</summary>
    Auto,

    /// <summary>Register as the audit daemon (unicast delivery, kernel backlog, nothing lost silently).</summary>
    Daemon,

    /// <summary>Read the read-only multicast group beside whoever is the daemon (best effort).</summary>
    Multicast,
}
