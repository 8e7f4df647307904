using System.Collections.Frozen;
using System.Globalization;

namespace ExecDashboard.Audit.Parsing;

/// <summary>
/// Audit record type numbers and their names, as in the kernel's include/uapi/linux/audit.h
/// (kernel records 1300-1999) and the names auditd prints for user-space records (1100-1299, 2100-2999).
/// A number without a known name prints as <c>UNKNOWN[n]</c>, the form auditd itself writes.
/// </summary>
public static class AuditRecordTypes
{
    /// <summary>A well-formed type name this table does not know (newer auditd); the record is kept.</summary>
    public const ushort UnknownName = 0;

    public const ushort UserAuth = 1100;
    public const ushort DaemonStart = 1200;
    public const ushort Syscall = 1300;
    public const ushort Path = 1302;
    public const ushort ConfigChange = 1305;
    public const ushort SockAddr = 1306;
    public const ushort Cwd = 1307;
    public const ushort Execve = 1309;
    public const ushort EndOfEvent = 1320;
    public const ushort BprmFcaps = 1321;
    public const ushort Proctitle = 1327;

    private static readonly FrozenDictionary<ushort, string> s_names = new Dictionary<ushort, string>
    {
        [1005] = "USER", [1006] = "LOGIN",
        [1100] = "USER_AUTH", [1101] = "USER_ACCT", [1102] = "USER_MGMT", [1103] = "CRED_ACQ",
        [1104] = "CRED_DISP", [1105] = "USER_START", [1106] = "USER_END", [1107] = "USER_AVC",
        [1108] = "USER_CHAUTHTOK", [1109] = "USER_ERR", [1110] = "CRED_REFR", [1111] = "USYS_CONFIG",
        [1112] = "USER_LOGIN", [1113] = "USER_LOGOUT", [1114] = "ADD_USER", [1115] = "DEL_USER",
        [1116] = "ADD_GROUP", [1117] = "DEL_GROUP", [1118] = "DAC_CHECK", [1119] = "CHGRP_ID",
        [1120] = "TEST", [1121] = "TRUSTED_APP", [1122] = "USER_SELINUX_ERR", [1123] = "USER_CMD",
        [1124] = "USER_TTY", [1125] = "CHUSER_ID", [1126] = "GRP_AUTH", [1127] = "SYSTEM_BOOT",
        [1128] = "SYSTEM_SHUTDOWN", [1129] = "SYSTEM_RUNLEVEL", [1130] = "SERVICE_START",
        [1131] = "SERVICE_STOP", [1132] = "GRP_MGMT", [1133] = "GRP_CHAUTHTOK", [1134] = "MAC_CHECK",
        [1135] = "ACCT_LOCK", [1136] = "ACCT_UNLOCK", [1137] = "USER_DEVICE", [1138] = "SOFTWARE_UPDATE",
        [1200] = "DAEMON_START", [1201] = "DAEMON_END", [1202] = "DAEMON_ABORT", [1203] = "DAEMON_CONFIG",
        [1204] = "DAEMON_RECONFIG", [1205] = "DAEMON_ROTATE", [1206] = "DAEMON_RESUME",
        [1207] = "DAEMON_ACCEPT", [1208] = "DAEMON_CLOSE", [1209] = "DAEMON_ERR",
        [1300] = "SYSCALL", [1302] = "PATH", [1303] = "IPC", [1304] = "SOCKETCALL",
        [1305] = "CONFIG_CHANGE", [1306] = "SOCKADDR", [1307] = "CWD", [1309] = "EXECVE",
        [1311] = "IPC_SET_PERM", [1312] = "MQ_OPEN", [1313] = "MQ_SENDRECV", [1314] = "MQ_NOTIFY",
        [1315] = "MQ_GETSETATTR", [1316] = "KERNEL_OTHER", [1317] = "FD_PAIR", [1318] = "OBJ_PID",
        [1319] = "TTY", [1320] = "EOE", [1321] = "BPRM_FCAPS", [1322] = "CAPSET", [1323] = "MMAP",
        [1324] = "NETFILTER_PKT", [1325] = "NETFILTER_CFG", [1326] = "SECCOMP", [1327] = "PROCTITLE",
        [1328] = "FEATURE_CHANGE", [1329] = "REPLACE", [1330] = "KERN_MODULE", [1331] = "FANOTIFY",
        [1332] = "TIME_INJOFFSET", [1333] = "TIME_ADJNTPVAL", [1334] = "BPF", [1335] = "EVENT_LISTENER",
        [1336] = "URINGOP", [1337] = "OPENAT2", [1338] = "DM_CTRL", [1339] = "DM_EVENT",
        [1400] = "AVC", [1401] = "SELINUX_ERR", [1402] = "AVC_PATH", [1403] = "MAC_POLICY_LOAD",
        [1404] = "MAC_STATUS", [1405] = "MAC_CONFIG_CHANGE",
        [1700] = "ANOM_PROMISCUOUS", [1701] = "ANOM_ABEND", [1702] = "ANOM_LINK", [1703] = "ANOM_CREAT",
        [1800] = "INTEGRITY_DATA", [1801] = "INTEGRITY_METADATA", [1802] = "INTEGRITY_STATUS",
        [1803] = "INTEGRITY_HASH", [1804] = "INTEGRITY_PCR", [1805] = "INTEGRITY_RULE",
        [1806] = "INTEGRITY_EVM_XATTR", [1807] = "INTEGRITY_POLICY_RULE",
        [2000] = "KERNEL",
        [2100] = "ANOM_LOGIN_FAILURES", [2101] = "ANOM_LOGIN_TIME", [2102] = "ANOM_LOGIN_SESSIONS",
        [2103] = "ANOM_LOGIN_ACCT", [2104] = "ANOM_LOGIN_LOCATION", [2105] = "ANOM_MAX_DAC",
        [2106] = "ANOM_MAX_MAC", [2107] = "ANOM_AMTU_FAIL", [2108] = "ANOM_RBAC_FAIL",
        [2109] = "ANOM_RBAC_INTEGRITY_FAIL", [2110] = "ANOM_CRYPTO_FAIL", [2111] = "ANOM_ACCESS_FS",
        [2112] = "ANOM_EXEC", [2113] = "ANOM_MK_EXEC", [2114] = "ANOM_ADD_ACCT", [2115] = "ANOM_DEL_ACCT",
        [2116] = "ANOM_MOD_ACCT", [2117] = "ANOM_ROOT_TRANS", [2118] = "ANOM_LOGIN_SERVICE",
        [2300] = "USER_ROLE_CHANGE", [2301] = "ROLE_ASSIGN", [2302] = "ROLE_REMOVE",
        [2309] = "USER_LABELED_EXPORT", [2310] = "USER_UNLABELED_EXPORT",
        [2400] = "CRYPTO_TEST_USER", [2401] = "CRYPTO_PARAM_CHANGE_USER", [2402] = "CRYPTO_LOGIN",
        [2403] = "CRYPTO_LOGOUT", [2404] = "CRYPTO_KEY_USER", [2405] = "CRYPTO_FAILURE_USER",
        [2406] = "CRYPTO_REPLAY_USER", [2407] = "CRYPTO_SESSION", [2408] = "CRYPTO_IKE_SA", [2409] = "CRYPTO_IPSEC_SA",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, ushort>.AlternateLookup<ReadOnlySpan<char>> s_numbers =
        s_names.ToFrozenDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The name auditd prints for <paramref name="type"/>, or <c>UNKNOWN[n]</c>.</summary>
    public static string NameOf(ushort type) =>
        s_names.TryGetValue(type, out var name)
            ? name
            : string.Create(CultureInfo.InvariantCulture, $"UNKNOWN[{type}]");

    /// <summary>
    /// Reads a type name as a log line writes it: a known name, <c>UNKNOWN[n]</c>, or a bare number.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> name, out ushort type)
    {
        type = 0;
        if (name.IsEmpty || name.Length > 32)
        {
            return false;
        }

        ReadOnlySpan<byte> unknown = "UNKNOWN["u8;
        if (name.StartsWith(unknown) && name[^1] == (byte)']')
        {
            return AuditNumbers.TryParseDecimal(name[unknown.Length..^1], out type);
        }

        if (AuditNumbers.TryParseDecimal(name, out type) || TryParseCommon(name, out type))
        {
            return true;
        }

        Span<char> chars = stackalloc char[32];
        for (var i = 0; i < name.Length; i++)
        {
            var b = name[i];
            if (b is not ((>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'_'))
            {
                return false;
            }

            chars[i] = (char)b;
        }

        if (!s_numbers.TryGetValue(chars[..name.Length], out type))
        {
            type = UnknownName;
        }

        return true;
    }

    /// <summary>The record types of every exec event, matched before the general table lookup.</summary>
    private static bool TryParseCommon(ReadOnlySpan<byte> name, out ushort type)
    {
        type = name switch
        {
            _ when name.SequenceEqual("SYSCALL"u8) => Syscall,
            _ when name.SequenceEqual("EXECVE"u8) => Execve,
            _ when name.SequenceEqual("PATH"u8) => Path,
            _ when name.SequenceEqual("CWD"u8) => Cwd,
            _ when name.SequenceEqual("PROCTITLE"u8) => Proctitle,
            _ when name.SequenceEqual("EOE"u8) => EndOfEvent,
            _ => 0,
        };
        return type != 0;
    }

    /// <summary>
    /// True for records user space sends on its own (PAM, auditd itself): each is a whole event,
    /// the kernel never follows them with EOE (include/uapi/linux/audit.h: 1100-1299 and 2100-2999).
    /// </summary>
    public static bool IsStandalone(ushort type) =>
        type is (>= 1100 and <= 1299) or (>= 2100 and <= 2999);
}
