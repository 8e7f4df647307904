using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Contracts;

/// <summary>
/// Wire form of <see cref="ProcessEnd"/>: a process the collector reported ended. Flat and
/// primitive like <see cref="ExecEventMessage"/>; identified by its process key, so sending it
/// again changes nothing.
/// </summary>
public sealed class ProcessExitMessage
{
    /// <summary>When the kernel reported the end, Unix time in microseconds.</summary>
    public required long TimeUnixMicros { get; init; }

    /// <summary>The process start on the same clock (tick precision): duration is the difference.</summary>
    public required long StartedUnixMicros { get; init; }

    public required int Pid { get; init; }

    /// <summary>The process key <c>boot/pid/start</c>.</summary>
    public required string Process { get; init; }

    /// <summary>Exit code 0 to 255 when it exited by itself; null when killed.</summary>
    public int? ExitCode { get; init; }

    /// <summary>The signal that killed it; null when it exited by itself.</summary>
    public int? Signal { get; init; }

    public bool CoreDumped { get; init; }

    public static ProcessExitMessage From(ProcessEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        return new ProcessExitMessage
        {
            TimeUnixMicros = UnixMicros(end.Time),
            StartedUnixMicros = UnixMicros(end.Started),
            Pid = end.Pid,
            Process = end.Process.ToString(),
            ExitCode = end.Status.Code,
            Signal = end.Status.Signal,
            CoreDumped = end.Status.CoreDumped,
        };
    }

    /// <summary>Back to the domain. Throws <see cref="FormatException"/> for a malformed key and <see cref="ArgumentException"/> or <see cref="OverflowException"/> for impossible times; validate the status fields first.</summary>
    public ProcessEnd ToProcessEnd() => new()
    {
        Process = ProcessKey.Parse(Process),
        Time = FromUnixMicros(TimeUnixMicros),
        Started = FromUnixMicros(StartedUnixMicros),
        Status = ExitStatus.From(ExitCode, Signal, CoreDumped) ?? ExitStatus.Exited(0),
    };

    private static long UnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static DateTimeOffset FromUnixMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(checked(micros * TimeSpan.TicksPerMicrosecond));
}
