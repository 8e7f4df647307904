namespace ExecDashboard.Kernel.Tests.Collector;

/// <summary>One exec the workload performs, identified by the unique marker in its argv[1].</summary>
/// <param name="Argv">The exact argument bytes, or null for a failed exec (the kernel logs no EXECVE record then).</param>
/// <param name="ParentExe">The file name the parent's exe must end with (the script's bash, or an intermediate shell).</param>
internal sealed record ExpectedExec(string Marker, byte[][]? Argv, string Syscall, string Arch, bool Success, string ParentExe, bool ParentIsScript)
{
    public override string ToString() => $"{Marker} ({Syscall}, {Arch}{(Success ? string.Empty : ", failing")})";
}
