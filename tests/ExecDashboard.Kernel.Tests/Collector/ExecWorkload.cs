using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>
/// A bash script that execs known programs with awkward arguments, plus the execs the tests
/// must then see. Every argv[1] is a marker unique to this workload, so the machine's other
/// execs (builds, other tests) never confuse the count. The helpers for execveat and the
/// 32-bit ABI are built at test time from C and assembly; without a compiler they are left out
/// and <see cref="Notes"/> says why.
/// </summary>
internal sealed class ExecWorkload : IDisposable
{
    private const string True = "/usr/bin/true";
    private readonly List<ExpectedExec> _expected = [];
    private readonly List<string> _notes = [];
    private readonly StringBuilder _script = new();
    private readonly string _id = Guid.NewGuid().ToString("N")[..12];
    private int _next;

    private ExecWorkload(string directory) => Directory = directory;

    public string Directory { get; }

    public IReadOnlyList<ExpectedExec> Expected => _expected;

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>The marker every failed exec of the workload names: it is in the path, since a failed exec has no argv.</summary>
    public string FailingPath => $"/nonexistent-execdash-{_id}/no-such-program";

    public string ScriptPath => Path.Combine(Directory, "workload.sh");

    public static ExecWorkload Create()
    {
        var workload = new ExecWorkload(System.IO.Directory.CreateTempSubdirectory("execdash-workload-").FullName);
        workload.Build();
        return workload;
    }

    /// <summary>Runs the script as a child of this test process; returns the script's PID (the parent of every exec).</summary>
    public async Task<int> RunAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/bash") { UseShellExecute = false, RedirectStandardError = true, WorkingDirectory = Directory };
        start.ArgumentList.Add("--noprofile");
        start.ArgumentList.Add("--norc");
        start.ArgumentList.Add(ScriptPath);
        start.Environment["LC_ALL"] = "C";
        using var script = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var stderr = script.StandardError.ReadToEndAsync();
        await script.WaitForExitAsync();
        Assert.True(script.ExitCode == 0, $"The workload script failed ({script.ExitCode}): {await stderr}");
        return script.Id;
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Quotes any bytes for bash as <c>$'...'</c>, escaping everything but plain characters.</summary>
    private static string Quote(byte[] argument)
    {
        var quoted = new StringBuilder(argument.Length + 3).Append("$'");
        foreach (var b in argument)
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'/')
            {
                quoted.Append((char)b);
            }
            else
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return quoted.Append('\'').ToString();
    }

    private string NextMarker() => $"execdash-{_id}-{_next++}";

    private void Exec(params byte[][] argumentsAfterMarker)
    {
        var marker = NextMarker();
        byte[][] argv = [Bytes(True), Bytes(marker), .. argumentsAfterMarker];
        _script.AppendLine(string.Join(' ', argv.Select(Quote)));
        _expected.Add(new ExpectedExec(marker, argv, "execve", "x86_64", Success: true, ParentExe: "bash", ParentIsScript: true));
    }

    private void Build()
    {
        _script.AppendLine("set -u");
        Exec(Bytes("two words"), Bytes(" leading space"), Bytes("trailing space "), Bytes(" "));
        Exec(Bytes("double\"quote"), Bytes("single'quote"), Bytes("back\\slash"), Bytes("$HOME"), Bytes("`tick`"), Bytes("a0=fake"), Bytes("key=\"v\""));
        Exec(Bytes("tab\there"), Bytes("new\nline"), Bytes("\r\n"), Bytes("\u001b[31mred"));
        Exec([0xff, 0xfe], Bytes("caf\u00e9"), [0xc3], [0x6d, 0x69, 0x78, 0x80, 0x65, 0x6e, 0x64], Bytes("\u65e5\u672c\u8a9e \ud83d\ude00"));
        Exec(Bytes(new string('x', 50 * 1024) + "middle" + new string('y', (50 * 1024) - 6)));
        Exec([.. Enumerable.Range(2, 198).Select(i => Bytes($"arg-{i}"))]);
        Exec([], [], Bytes("after-two-empty"));
        Exec();

        // A failed exec: the process keeps bash's image, the kernel logs SYSCALL success=no and no argv.
        _script.AppendLine($"{Quote(Bytes(FailingPath))} {Quote(Bytes(NextMarker()))} 2>/dev/null || true");
        _expected.Add(new ExpectedExec(FailingPath, null, "execve", "x86_64", Success: false, ParentExe: "bash", ParentIsScript: true));

        // One level deeper: sh forks for the first command (it is not the last), so true's parent is sh.
        var nested = NextMarker();
        _script.AppendLine($"/bin/sh -c {Quote(Bytes($"{True} {nested}; :"))}");
        _expected.Add(new ExpectedExec(nested, [Bytes(True), Bytes(nested)], "execve", "x86_64", Success: true, ParentExe: "dash", ParentIsScript: false));

        AddExecveatHelper();
        AddThirtyTwoBitHelper();
        _script.AppendLine("exit 0");
        File.WriteAllText(ScriptPath, _script.ToString(), new UTF8Encoding(false));
    }

    private void AddExecveatHelper()
    {
        if (FindTool("gcc") is not { } gcc)
        {
            _notes.Add("execveat not exercised: gcc is not installed to build the helper that calls it.");
            return;
        }

        var source = Path.Combine(Directory, "execveat-helper.c");
        var helper = Path.Combine(Directory, "execveat-helper");
        File.WriteAllText(source, """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <unistd.h>
            #include <sys/syscall.h>
            /* Replaces itself with /usr/bin/true through execveat(fd, "", ..., AT_EMPTY_PATH). */
            int main(int argc, char **argv) {
                if (argc < 3) return 2;
                int fd = open("/usr/bin/true", O_RDONLY);
                if (fd < 0) return 3;
                char *args[] = { "true", argv[2], 0 };
                char *env[] = { 0 };
                syscall(SYS_execveat, fd, "", args, env, AT_EMPTY_PATH);
                return 4;
            }
            """);
        Run(gcc, "-O2", "-o", helper, source);

        var launch = NextMarker();
        var marker = NextMarker();
        _script.AppendLine($"{Quote(Bytes(helper))} {launch} {marker}");
        _expected.Add(new ExpectedExec(launch, [Bytes(helper), Bytes(launch), Bytes(marker)], "execve", "x86_64", Success: true, ParentExe: "bash", ParentIsScript: true));
        _expected.Add(new ExpectedExec(marker, [Bytes("true"), Bytes(marker)], "execveat", "x86_64", Success: true, ParentExe: "bash", ParentIsScript: true));
    }

    private void AddThirtyTwoBitHelper()
    {
        if (FindTool("as") is not { } assembler || FindTool("ld") is not { } linker)
        {
            _notes.Add("32-bit exec not exercised: binutils (as, ld) are not installed to build the i386 helper.");
            return;
        }

        var launch = NextMarker();
        var marker = NextMarker();
        var source = Path.Combine(Directory, "exec32.s");
        var objectFile = Path.Combine(Directory, "exec32.o");
        var helper = Path.Combine(Directory, "exec32");

        // A static i386 program without libc (no multilib needed): execve through int 0x80, syscall 11.
        File.WriteAllText(source, $"""
            .section .data
            path: .asciz "/usr/bin/true"
            arg0: .asciz "true"
            arg1: .asciz "{marker}"
            argv: .long arg0, arg1, 0
            .section .text
            .globl _start
            _start:
              mov $11, %eax
              mov $path, %ebx
              mov $argv, %ecx
              xor %edx, %edx
              int $0x80
              mov $1, %eax
              mov $5, %ebx
              int $0x80

            """);
        Run(assembler, "--32", "-o", objectFile, source);
        Run(linker, "-m", "elf_i386", "-o", helper, objectFile);
        if (!KernelRunsI386(assembler, linker))
        {
            _notes.Add("32-bit exec not exercised: this kernel cannot run i386 programs (built without IA32 emulation, or booted with ia32_emulation=0).");
            return;
        }

        _script.AppendLine($"{Quote(Bytes(helper))} {launch}");
        _expected.Add(new ExpectedExec(launch, [Bytes(helper), Bytes(launch)], "execve", "x86_64", Success: true, ParentExe: "bash", ParentIsScript: true));
        _expected.Add(new ExpectedExec(marker, [Bytes("true"), Bytes(marker)], "execve", "i386", Success: true, ParentExe: "bash", ParentIsScript: true));
    }

    /// <summary>
    /// Whether an i386 program starts at all: a kernel without IA32 emulation refuses it (ENOEXEC),
    /// and bash would then not exec it. Probed with a program that only exits, so the workload's
    /// markers are exec'd once, by the workload.
    /// </summary>
    private bool KernelRunsI386(string assembler, string linker)
    {
        var source = Path.Combine(Directory, "exit32.s");
        var objectFile = Path.Combine(Directory, "exit32.o");
        var probe = Path.Combine(Directory, "exit32");
        File.WriteAllText(source, """
            .section .text
            .globl _start
            _start:
              mov $1, %eax
              mov $7, %ebx
              int $0x80

            """);
        Run(assembler, "--32", "-o", objectFile, source);
        Run(linker, "-m", "elf_i386", "-o", probe, objectFile);
        try
        {
            using var process = Process.Start(new ProcessStartInfo(probe) { UseShellExecute = false }) ?? throw new InvalidOperationException($"{probe} did not start.");
            process.WaitForExit();
            return process.ExitCode == 7;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static string? FindTool(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);

    private static void Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', arguments)} failed: {stderr}");
    }
}
