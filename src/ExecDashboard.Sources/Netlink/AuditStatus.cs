using System.Buffers.Binary;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// The kernel's audit status (struct audit_status in include/uapi/linux/audit.h), as AUDIT_GET
/// reports it. Older kernels send a shorter struct; missing trailing fields read as 0.
/// </summary>
public readonly record struct AuditStatus
{
    /// <summary>Size of struct audit_status on current kernels (11 u32 fields).</summary>
    internal const int Size = 44;

    /// <summary>0 disabled, 1 enabled, 2 enabled and locked until reboot.</summary>
    public required uint Enabled { get; init; }

    /// <summary>What the kernel does when it cannot log: 0 silent, 1 printk, 2 panic.</summary>
    public required uint Failure { get; init; }

    /// <summary>PID of the registered audit daemon, 0 when none.</summary>
    public required uint Pid { get; init; }

    public required uint RateLimit { get; init; }

    /// <summary>How many records may wait for the daemon before the kernel counts them lost.</summary>
    public required uint BacklogLimit { get; init; }

    /// <summary>Records the kernel has lost since boot.</summary>
    public required uint Lost { get; init; }

    /// <summary>Records waiting now.</summary>
    public required uint Backlog { get; init; }

    public required uint FeatureBitmap { get; init; }

    /// <summary>How long (jiffies) a task waits for backlog room before its record is lost.</summary>
    public required uint BacklogWaitTime { get; init; }

    public required uint BacklogWaitTimeActual { get; init; }

    /// <summary>True when the configuration is locked (enabled == 2) until reboot.</summary>
    public bool IsLocked => Enabled == 2;

    /// <summary>Reads the current status from the kernel (needs CAP_AUDIT_CONTROL).</summary>
    public static AuditStatus Read()
    {
        using var control = AuditControlSocket.Open();
        return control.GetStatus();
    }

    internal static AuditStatus Parse(ReadOnlySpan<byte> payload)
    {
        Span<byte> full = stackalloc byte[Size];
        full.Clear();
        payload[..Math.Min(payload.Length, Size)].CopyTo(full);
        return new AuditStatus
        {
            Enabled = Field(full, 1),
            Failure = Field(full, 2),
            Pid = Field(full, 3),
            RateLimit = Field(full, 4),
            BacklogLimit = Field(full, 5),
            Lost = Field(full, 6),
            Backlog = Field(full, 7),
            FeatureBitmap = Field(full, 8),
            BacklogWaitTime = Field(full, 9),
            BacklogWaitTimeActual = Field(full, 10),
        };
    }

    private static uint Field(ReadOnlySpan<byte> status, int index) => BinaryPrimitives.ReadUInt32LittleEndian(status[(index * 4)..]);
}
