namespace ExecDashboard.Audit.Mapping;

/// <summary>
/// The SYSCALL record's <c>arch=</c> (AUDIT_ARCH_* in include/uapi/linux/audit.h: ELF machine
/// plus 64-bit and little-endian flags) and the exec syscall numbers of each ABI, from the kernel's
/// syscall tables (arch/x86/entry/syscalls/*.tbl, include/uapi/asm-generic/unistd.h, ...).
/// The number alone means nothing: 59 is execve on x86_64 but a different call for i386.
/// </summary>
internal static class AuditArch
{
    public const uint X8664 = 0xc000003e;
    public const uint I386 = 0x40000003;
    public const uint Aarch64 = 0xc00000b7;
    public const uint Arm = 0x40000028;
    public const uint Riscv64 = 0xc00000f3;
    public const uint Ppc64 = 0x80000015;
    public const uint Ppc64Le = 0xc0000015;
    public const uint S390X = 0x80000016;
    public const uint LoongArch64 = 0xc0000102;

    /// <summary>Name and (execve, execveat) numbers, or false for an ABI we do not map.</summary>
    public static bool TryDescribe(uint arch, out string name, out int execve, out int execveat)
    {
        (name, execve, execveat) = arch switch
        {
            X8664 => ("x86_64", 59, 322),
            I386 => ("i386", 11, 358),
            Aarch64 => ("aarch64", 221, 281),
            Arm => ("arm", 11, 387),
            Riscv64 => ("riscv64", 221, 281),
            LoongArch64 => ("loongarch64", 221, 281),
            Ppc64 => ("ppc64", 11, 362),
            Ppc64Le => ("ppc64le", 11, 362),
            S390X => ("s390x", 11, 354),
            _ => (string.Empty, -1, -1),
        };
        return execve >= 0;
    }
}
