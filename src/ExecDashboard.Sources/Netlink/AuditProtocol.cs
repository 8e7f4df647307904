namespace ExecDashboard.Sources.Netlink;

/// <summary>Facts from include/uapi/linux/audit.h that the source needs.</summary>
internal static class AuditProtocol
{
    // Message types of the control protocol.
    public const ushort AUDIT_GET = 1000;
    public const ushort AUDIT_SET = 1001;
    public const ushort AUDIT_ADD_RULE = 1011;
    public const ushort AUDIT_DEL_RULE = 1012;
    public const ushort AUDIT_LIST_RULES = 1013;

    /// <summary>Types below this are control replies; from here on they are records (user, kernel, daemon).</summary>
    public const ushort AUDIT_FIRST_USER_MSG = 1100;

    /// <summary>The read-only "best effort" multicast group; joining it needs CAP_AUDIT_READ.</summary>
    public const int AUDIT_NLGRP_READLOG = 1;

    // struct audit_status mask bits.
    public const uint AUDIT_STATUS_ENABLED = 0x0001;
    public const uint AUDIT_STATUS_FAILURE = 0x0002;
    public const uint AUDIT_STATUS_PID = 0x0004;
    public const uint AUDIT_STATUS_RATE_LIMIT = 0x0008;
    public const uint AUDIT_STATUS_BACKLOG_LIMIT = 0x0010;
    public const uint AUDIT_STATUS_BACKLOG_WAIT_TIME = 0x0020;

    // Rule lists, actions, fields and operators.
    public const uint AUDIT_FILTER_EXIT = 0x04;
    public const uint AUDIT_FILTER_PREPEND = 0x10;
    public const uint AUDIT_ALWAYS = 2;
    public const uint AUDIT_ARCH = 11;
    public const uint AUDIT_FILTERKEY = 210;
    public const uint AUDIT_EQUAL = 0x40000000;
    public const int AUDIT_MAX_FIELDS = 64;
    public const int AUDIT_BITMASK_SIZE = 64;
    public const int AUDIT_MAX_KEY_LEN = 256;

    // AUDIT_ARCH_* = EM_* | __AUDIT_ARCH_64BIT (0x80000000) | __AUDIT_ARCH_LE (0x40000000).
    public const uint AUDIT_ARCH_X86_64 = 62 | 0x80000000 | 0x40000000;
    public const uint AUDIT_ARCH_I386 = 3 | 0x40000000;
    public const uint AUDIT_ARCH_AARCH64 = 183 | 0x80000000 | 0x40000000;
}
