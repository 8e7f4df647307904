using System.Text;

namespace ExecDashboard.Sources.Netlink;

/// <summary>Settings of <see cref="NetlinkAuditSource"/>; <see cref="Validate"/> runs at start.</summary>
public sealed class NetlinkAuditSourceOptions
{
    /// <summary>The key (auditctl -k) our rules carry; rules with this key are ours to install and remove.</summary>
    public string RuleKey { get; set; } = ExecAuditRules.DefaultKey;

    public NetlinkAuditMode Mode { get; set; } = NetlinkAuditMode.Auto;

    /// <summary>Where the per-key lock naming the live owner of our rules lives (see <see cref="AuditRuleOwnership"/>).</summary>
    public string RuleLockDirectory { get; set; } = AuditRuleOwnership.DefaultDirectory;

    /// <summary>Told, in one sentence, about a degraded but working setup (for example rules not guarded by a lock).</summary>
    public Action<string>? Warn { get; set; }

    /// <summary>As daemon, the kernel backlog limit is raised to at least this (the kernel default, 64, overflows in an exec storm).</summary>
    public uint MinimumBacklogLimit { get; set; } = 8192;

    /// <summary>Receive buffer asked for: records queue here while the consumer is busy.</summary>
    public int ReceiveBufferBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>How often the kernel's lost and backlog counters are read.</summary>
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public void Validate()
    {
        if (string.IsNullOrEmpty(RuleKey)
            || Encoding.UTF8.GetByteCount(RuleKey) > AuditProtocol.AUDIT_MAX_KEY_LEN
            || RuleKey.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new ArgumentException($"The audit rule key must be 1 to {AuditProtocol.AUDIT_MAX_KEY_LEN} bytes without spaces or control characters.", nameof(RuleKey));
        }

        if (string.IsNullOrEmpty(RuleLockDirectory))
        {
            throw new ArgumentException("The rule lock directory must be set.", nameof(RuleLockDirectory));
        }

        if (!Enum.IsDefined(Mode))
        {
            throw new ArgumentException($"Unknown netlink audit mode {Mode}.", nameof(Mode));
        }

        if (MinimumBacklogLimit == 0)
        {
            throw new ArgumentException("The minimum backlog limit must be positive.", nameof(MinimumBacklogLimit));
        }

        if (ReceiveBufferBytes < 64 * 1024)
        {
            throw new ArgumentException("The receive buffer must be at least 64 KiB.", nameof(ReceiveBufferBytes));
        }

        if (StatusPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("The status poll interval must be positive.", nameof(StatusPollInterval));
        }
    }
}
