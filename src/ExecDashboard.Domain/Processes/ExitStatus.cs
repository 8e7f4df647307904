using System.Globalization;

namespace ExecDashboard.Domain.Processes;

/// <summary>
/// How a process ended: its exit code, or the signal that killed it (and whether it dumped core).
/// </summary>
/// <remarks>
/// The kernel reports a wait status (<c>task_struct.exit_code</c>, what <c>waitpid</c> returns):
/// a normal exit is <c>code &lt;&lt; 8</c>, a killing signal is in the low 7 bits with 0x80 for a
/// core dump (include/uapi/linux/wait.h semantics, kernel/exit.c do_exit, drivers/connector/cn_proc.c
/// proc_exit_connector).
/// </remarks>
public readonly record struct ExitStatus
{
    private ExitStatus(int? code, int? signal, bool coreDumped)
    {
        Code = code;
        Signal = signal;
        CoreDumped = coreDumped;
    }

    /// <summary>The exit code (0 to 255) when the process exited by itself; null when killed.</summary>
    public int? Code { get; }

    /// <summary>The signal that killed it; null when it exited by itself.</summary>
    public int? Signal { get; }

    public bool CoreDumped { get; }

    /// <summary>A non-zero exit code or a killing signal.</summary>
    public bool Failed => Code is not 0;

    public static ExitStatus Exited(int code) => new(code & 0xff, null, false);

    public static ExitStatus Killed(int signal, bool coreDumped = false) => new(null, signal, coreDumped);

    /// <summary>Decodes a kernel wait status.</summary>
    public static ExitStatus FromWaitStatus(int status)
    {
        var signal = status & 0x7f;
        return signal == 0 ? Exited((status >> 8) & 0xff) : Killed(signal, (status & 0x80) != 0);
    }

    /// <summary>Back from the three stored or shipped fields; null when they say nothing.</summary>
    public static ExitStatus? From(int? code, int? signal, bool coreDumped) =>
        signal is { } s ? Killed(s, coreDumped) : code is { } c ? Exited(c) : null;

    /// <summary><c>code 3</c>, <c>signal 9 (SIGKILL)</c>, <c>signal 11 (SIGSEGV, core dumped)</c>.</summary>
    public override string ToString()
    {
        if (Signal is not { } signal)
        {
            return string.Create(CultureInfo.InvariantCulture, $"code {Code}");
        }

        var name = SignalNames.Name(signal);
        var detail = (name, CoreDumped) switch
        {
            (null, false) => string.Empty,
            (null, true) => " (core dumped)",
            (_, false) => $" ({name})",
            (_, true) => $" ({name}, core dumped)",
        };
        return string.Create(CultureInfo.InvariantCulture, $"signal {signal}{detail}");
    }
}
