namespace ExecDashboard.Domain.Events;

/// <summary>
/// One exec exactly as a source saw it, before lineage is attached. Source-neutral: the audit
/// pipeline produces these, and so could any other event source.
/// </summary>
public sealed record ExecObservation
{
    /// <summary>Kernel time of the exec, UTC.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>The source's event serial (the audit serial for audit sources).</summary>
    public required ulong Serial { get; init; }

    /// <summary>Host that ran the exec (audit <c>node=</c>, else the local host name).</summary>
    public required string Host { get; init; }

    public required int Pid { get; init; }

    public required int Ppid { get; init; }

    public required uint Uid { get; init; }

    /// <summary>Login uid; <see cref="uint.MaxValue"/> means unset.</summary>
    public required uint Auid { get; init; }

    public required string Comm { get; init; }

    public required string Exe { get; init; }

    /// <summary>
    /// Complete arguments as text. Bytes that are not valid UTF-8 are shown as U+FFFD here;
    /// <see cref="ArgvBytes"/> then holds the exact bytes.
    /// </summary>
    public required IReadOnlyList<string> Argv { get; init; }

    /// <summary>Exact argument bytes, present only when some argument is not valid UTF-8.</summary>
    public IReadOnlyList<byte[]>? ArgvBytes { get; init; }

    /// <summary>
    /// True when some argument could not be read whole (an EXECVE record lost, cut or refused as
    /// too large): <see cref="Argv"/> then holds what was read, never passing for the complete command.
    /// </summary>
    public bool ArgvTruncated { get; init; }

    public required string Cwd { get; init; }

    /// <summary>False for an exec that failed (the process kept its old image).</summary>
    public required bool Success { get; init; }

    /// <summary>Syscall return value; a negative errno when the exec failed.</summary>
    public required long Exit { get; init; }

    /// <summary><c>execve</c> or <c>execveat</c>.</summary>
    public required string Syscall { get; init; }

    /// <summary>ABI of the caller, for example <c>x86_64</c> or <c>i386</c>.</summary>
    public required string Arch { get; init; }
}
