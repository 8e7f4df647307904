using System.Runtime.InteropServices;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// The rules that make the kernel report every exec: <c>always,exit</c> on execve and execveat
/// for each ABI a process on this machine can exec through, tagged with our key so that we can
/// find (and remove) exactly ours among everybody else's.
/// </summary>
public static class ExecAuditRules
{
    /// <summary>The key our rules carry unless configured otherwise.</summary>
    public const string DefaultKey = "execdash";

    /// <summary>Our rules for this machine's architecture.</summary>
    public static IReadOnlyList<AuditRule> For(string key) => RuntimeInformation.OSArchitecture switch
    {
        // Syscall numbers: arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl. A 64-bit
        // kernel runs 32-bit binaries through the i386 ABI, which a b64 rule does not see.
        Architecture.X64 =>
        [
            AuditRule.AlwaysOnExit(AuditProtocol.AUDIT_ARCH_X86_64, [59, 322], key),
            AuditRule.AlwaysOnExit(AuditProtocol.AUDIT_ARCH_I386, [11, 358], key),
        ],

        // include/uapi/asm-generic/unistd.h: execve 221, execveat 281.
        Architecture.Arm64 => [AuditRule.AlwaysOnExit(AuditProtocol.AUDIT_ARCH_AARCH64, [221, 281], key)],
        var other => throw new PlatformNotSupportedException($"Exec audit rules are not defined for {other}."),
    };

    /// <summary>The rules in the kernel that carry exactly <paramref name="key"/>.</summary>
    public static IReadOnlyList<AuditRule> ListInstalled(AuditControlSocket control, string key)
    {
        ArgumentNullException.ThrowIfNull(control);
        return [.. control.ListRules().Where(rule => rule.Key == key)];
    }

    /// <summary>Opens a control socket and lists the rules carrying <paramref name="key"/>.</summary>
    public static IReadOnlyList<AuditRule> ListInstalled(string key = DefaultKey)
    {
        using var control = AuditControlSocket.Open();
        return ListInstalled(control, key);
    }
}
