namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>
/// A launcher that runs a program the way systemd's <c>MemoryDenyWriteExecute=yes</c> does (the
/// collector's unit sets it): a seccomp filter, inherited across <c>execve</c>, that refuses
/// <c>mmap</c> of memory both writable and executable and <c>mprotect</c>/<c>pkey_mprotect</c>
/// asking for execute permission. A program that compiles code at run time (a JIT) cannot run under it.
/// </summary>
/// <remarks>
/// Built from C with the toolchain the native collector's publish already needs; the launcher
/// becomes the program (<c>execv</c>), so its pid and signals are the program's.
/// </remarks>
internal static class WriteExecuteDenial
{
    private const string Source = """
        #include <errno.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <unistd.h>
        #include <linux/audit.h>
        #include <linux/filter.h>
        #include <linux/seccomp.h>
        #include <sys/mman.h>
        #include <sys/prctl.h>
        #include <sys/syscall.h>

        #define LOAD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
        #define DENY BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)
        #define ALLOW BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW)

        int main(int argc, char **argv) {
            struct sock_filter filter[] = {
                LOAD(arch),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
                DENY,
                LOAD(nr),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mmap, 0, 4),
                LOAD(args[2]),
                BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_WRITE | PROT_EXEC),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_WRITE | PROT_EXEC, 0, 1),
                DENY,
                LOAD(nr),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_mprotect, 1, 0),
                BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_pkey_mprotect, 0, 3),
                LOAD(args[2]),
                BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
                DENY,
                ALLOW,
            };
            struct sock_fprog program = { sizeof filter / sizeof filter[0], filter };
            if (argc < 2) { fputs("usage: deny-write-execute PROGRAM [ARG...]\n", stderr); return 2; }
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
                perror("deny-write-execute: seccomp");
                return 2;
            }
            execv(argv[1], argv + 1);
            perror("deny-write-execute: execv");
            return 2;
        }
        """;

    /// <summary>Compiles the launcher into <paramref name="directory"/>; returns its path.</summary>
    public static async Task<string> BuildAsync(string directory)
    {
        Assert.True(OperatingSystem.IsLinux() && System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64,
            "The write-execute denial filter is written for x86-64 Linux.");
        var source = Path.Combine(directory, "deny-write-execute.c");
        var launcher = Path.Combine(directory, "deny-write-execute");
        await File.WriteAllTextAsync(source, Source);
        var (exit, output) = await Command.RunAsync("cc", ["-O2", "-o", launcher, source], TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"Compiling the write-execute denial launcher failed:\n{output}");
        return launcher;
    }

    /// <summary>Runs <paramref name="program"/> under the launcher to its end; returns its exit code and output.</summary>
    public static Task<(int Exit, string Output)> RunUnderAsync(string launcher, string program, params string[] arguments) =>
        Command.RunAsync(launcher, [program, .. arguments], TimeSpan.FromMinutes(2));
}
