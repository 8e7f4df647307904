using System.Runtime.Serialization;
using System.Text.Json.Serialization;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;

namespace ExecDashboard.Contracts;

/// <summary>
/// The one public form of a process end (<see cref="ProcessEnd"/>), as <see cref="ExecEventMessage"/>
/// is of an exec: a <c>--output jsonl</c> line, an element of a session export's <c>exits</c>, the
/// end of a process in the HTTP API, and the hub's MessagePack message. Identified by its process
/// key, so sending it again changes nothing.
/// </summary>
/// <remarks>
/// JSON rules as for execs: camelCase, ISO-8601 UTC times with microseconds, a value that does not
/// apply is left out (<see cref="ExitCode"/> when killed, <see cref="Signal"/> when it exited,
/// <see cref="CoreDumped"/> when false), never <c>null</c>. Every JSON form starts with
/// <c>"type": "exit"</c>, so a jsonl reader tells it from an exec line (which has no type).
/// MessagePack keys members by their C# names, unchanged since the first collector that shipped
/// ends (<see cref="TimeUnixMicros"/>, <see cref="StartedUnixMicros"/>, <see cref="Pid"/>,
/// <see cref="Process"/>, <see cref="ExitCode"/>, <see cref="Signal"/>, <see cref="CoreDumped"/>);
/// the JSON-only views are left out of it, so spools and older collectors stay readable. No member
/// has a converter of its own, so the generated fast path writes jsonl lines.
/// </remarks>
public sealed class ProcessExitMessage
{
    /// <summary>The value of <see cref="Type"/>.</summary>
    public const string TypeName = "exit";

    /// <summary>The discriminator of JSON lines (<c>"type": "exit"</c>); written, never read.</summary>
    [JsonPropertyOrder(-1)]
    [IgnoreDataMember]
    public string Type => TypeName;

    /// <summary>When the kernel reported the end, Unix time in microseconds: the hub's form; JSON carries it as <see cref="Time"/>.</summary>
    [JsonIgnore]
    public long TimeUnixMicros { get; init; }

    /// <summary><see cref="TimeUnixMicros"/> as JSON writes it (<c>time</c>): a view of the same value, left out of MessagePack.</summary>
    [IgnoreDataMember]
    public required IsoTime Time
    {
        get => new(TimeUnixMicros);
        init => TimeUnixMicros = value.UnixMicros;
    }

    public required int Pid { get; init; }

    /// <summary>The process key <c>boot/pid/start</c>.</summary>
    public required string Process { get; init; }

    /// <summary>The process start on the same clock (tick precision), Unix microseconds: the hub's form; JSON carries it as <see cref="Started"/>.</summary>
    [JsonIgnore]
    public long StartedUnixMicros { get; init; }

    /// <summary><see cref="StartedUnixMicros"/> as JSON writes it (<c>started</c>).</summary>
    [IgnoreDataMember]
    public required IsoTime Started
    {
        get => new(StartedUnixMicros);
        init => StartedUnixMicros = value.UnixMicros;
    }

    /// <summary>From start to end in whole milliseconds, never negative (a derived start is an upper bound); written, never read.</summary>
    [IgnoreDataMember]
    public long DurationMs => Math.Max(0, TimeUnixMicros - StartedUnixMicros) / 1000;

    /// <summary>Exit code 0 to 255 when it exited by itself; null (absent) when killed.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? ExitCode { get; init; }

    /// <summary>The signal that killed it; null (absent) when it exited by itself.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Signal { get; init; }

    /// <summary>Killed with a core dump; absent (false) otherwise.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool CoreDumped { get; init; }

    public static ProcessExitMessage From(ProcessEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        return new ProcessExitMessage
        {
            Time = new IsoTime(UnixMicros(end.Time)),
            Started = new IsoTime(UnixMicros(end.Started)),
            Pid = end.Pid,
            Process = end.Process.ToString(),
            ExitCode = end.Status.Code,
            Signal = end.Status.Signal,
            CoreDumped = end.Status.CoreDumped,
        };
    }

    /// <summary>
    /// Back to the domain, refusing a message that breaks the contract: <see cref="ExecValidationException"/>
    /// for both or neither of code and signal (or values out of range), <see cref="FormatException"/>
    /// for a malformed key or one that does not name <see cref="Pid"/>, <see cref="ArgumentException"/>
    /// or <see cref="OverflowException"/> for impossible times.
    /// </summary>
    public ProcessEnd ToProcessEnd()
    {
        var status = ExecValidator.Status(ExitCode, Signal, CoreDumped);
        if (!ProcessKey.TryParse(Process, out var key))
        {
            throw new FormatException($"'process' is '{Process}', not a process key of the form boot/pid/start.");
        }

        if (key.Pid != Pid)
        {
            throw new FormatException($"'process' {Process} does not name the exit's pid {Pid}.");
        }

        return new()
        {
            Process = key,
            Time = FromUnixMicros(TimeUnixMicros),
            Started = FromUnixMicros(StartedUnixMicros),
            Status = status,
        };
    }

    private static long UnixMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond;

    private static DateTimeOffset FromUnixMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(checked(micros * TimeSpan.TicksPerMicrosecond));
}
