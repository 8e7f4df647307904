using System.Globalization;
using System.Text.Json;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Output;

/// <summary>
/// The JSON shape of one process end in <c>--output jsonl</c>:
/// <c>{"type":"exit","time":…,"pid":…,"process":"boot/pid/start","started":…,"durationMs":…,"exitCode":3,"signal":null,"coreDumped":false}</c>.
/// Exec lines carry no <c>type</c>; this one says what it is so a reader can tell the two apart.
/// </summary>
internal static class ProcessEndJson
{
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText ExitType = JsonEncodedText.Encode("exit");
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Pid = JsonEncodedText.Encode("pid");
    private static readonly JsonEncodedText Process = JsonEncodedText.Encode("process");
    private static readonly JsonEncodedText Started = JsonEncodedText.Encode("started");
    private static readonly JsonEncodedText DurationMs = JsonEncodedText.Encode("durationMs");
    private static readonly JsonEncodedText ExitCode = JsonEncodedText.Encode("exitCode");
    private static readonly JsonEncodedText Signal = JsonEncodedText.Encode("signal");
    private static readonly JsonEncodedText CoreDumped = JsonEncodedText.Encode("coreDumped");

    public static void Write(Utf8JsonWriter writer, ProcessEnd end)
    {
        writer.WriteStartObject();
        writer.WriteString(Type, ExitType);
        WriteTime(writer, Time, end.Time);
        writer.WriteNumber(Pid, end.Pid);
        writer.WriteString(Process, end.Process.ToString());
        WriteTime(writer, Started, end.Started);
        writer.WriteNumber(DurationMs, (long)end.Duration.TotalMilliseconds);
        WriteNumberOrNull(writer, ExitCode, end.Status.Code);
        WriteNumberOrNull(writer, Signal, end.Status.Signal);
        writer.WriteBoolean(CoreDumped, end.Status.CoreDumped);
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, JsonEncodedText name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteTime(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset time)
    {
        // The proc connector's clock has nanoseconds; starts are whole ticks (10 ms). Milliseconds, as for execs.
        Span<char> text = stackalloc char[32];
        time.UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(name, text[..written]);
    }
}
