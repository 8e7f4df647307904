using System.Text.Encodings.Web;
using System.Text.Json;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Timelines;

namespace ExecDashboard.Web.Sessions.Trace;

/// <summary>
/// Writes process spans in the Chrome trace-event JSON format (the "JSON Object Format" of the
/// Trace Event Format document, read by Perfetto UI and <c>chrome://tracing</c>): one complete
/// event (<c>"ph": "X"</c>) per process, its <c>pid</c> and <c>tid</c> the process's PID, named
/// <c>exe [args]</c>, with argv, key, parent, chain and how it ended in <c>args</c>. Each process
/// is its own track; <c>process_name</c> and <c>process_sort_index</c> metadata label the tracks
/// and order them as the tree (a parent, then its children by start), so nesting reads top-down.
/// </summary>
internal static class ChromeTraceWriter
{
    public const string ContentType = "application/json";

    // Flush to the response every so many spans: streamed, never the whole trace in a buffer.
    private const int SpansPerFlush = 512;

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="spans">Parents before children (as <see cref="ProcessSpanBuilder.Build"/> returns them).</param>
    public static async Task WriteAsync(string sessionName, IReadOnlyList<ProcessSpan> spans, Stream output, CancellationToken cancellationToken)
    {
        // Times are microseconds from the first start: epoch microseconds lose precision in the
        // viewers' doubles. The absolute start travels in otherData.
        var origin = spans.Count > 0 ? spans.Min(s => s.Start) : DateTimeOffset.UnixEpoch;
        await using var writer = new Utf8JsonWriter(output, Options);
        writer.WriteStartObject();
        writer.WriteString("displayTimeUnit", "ms");
        writer.WriteStartObject("otherData");
        writer.WriteString("session", sessionName);
        writer.WriteString("origin", origin.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteEndObject();
        writer.WriteStartArray("traceEvents");
        for (var i = 0; i < spans.Count; i++)
        {
            WriteSpan(writer, spans[i], origin, sortIndex: i);
            if (i % SpansPerFlush == SpansPerFlush - 1)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    /// <summary><c>exe [args]</c>: the program and its arguments after argv[0].</summary>
    public static string Name(ProcessSpan span)
    {
        var exe = span.Exe.Length == 0 ? "?" : span.Exe;
        return span.Argv.Count > 1 ? $"{exe} [{string.Join(' ', span.Argv.Skip(1))}]" : exe;
    }

    private static void WriteSpan(Utf8JsonWriter writer, ProcessSpan span, DateTimeOffset origin, int sortIndex)
    {
        var name = Name(span);
        writer.WriteStartObject();
        writer.WriteString("name", name);
        writer.WriteString("cat", "process");
        writer.WriteString("ph", "X");
        writer.WriteNumber("ts", Micros(span.Start - origin));

        // A zero-length span is drawn by no viewer; one microsecond keeps an instant process visible.
        writer.WriteNumber("dur", Math.Max(1, Micros(span.Duration)));
        writer.WriteNumber("pid", span.Pid);
        writer.WriteNumber("tid", span.Pid);
        writer.WriteStartObject("args");
        writer.WriteString("key", span.Key.ToString());
        writer.WriteString("parent", span.Parent.ToString());
        writer.WriteStartArray("argv");
        foreach (var argument in span.Argv)
        {
            writer.WriteStringValue(argument);
        }

        writer.WriteEndArray();
        if (span.Ended is { } end)
        {
            writer.WriteString("ended", end.Status.Signal is null ? "exit" : "signal");
            WriteNumberOrNull(writer, "exitCode", end.Status.Code);
            WriteNumberOrNull(writer, "signal", end.Status.Signal);
            writer.WriteBoolean("coreDumped", end.Status.CoreDumped);
        }
        else
        {
            // No end was reported: the span reaches to the last time it or a descendant was seen.
            writer.WriteString("ended", "unknown");
        }

        writer.WriteString("chain", string.Join(" -- ", span.Ancestry.Select(Label)));
        writer.WriteEndObject();
        writer.WriteEndObject();

        WriteMetadata(writer, span.Pid, "process_name", "name", name);
        writer.WriteStartObject();
        writer.WriteString("name", "process_sort_index");
        writer.WriteString("ph", "M");
        writer.WriteNumber("pid", span.Pid);
        writer.WriteStartObject("args");
        writer.WriteNumber("sort_index", sortIndex);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteMetadata(Utf8JsonWriter writer, int pid, string kind, string field, string value)
    {
        writer.WriteStartObject();
        writer.WriteString("name", kind);
        writer.WriteString("ph", "M");
        writer.WriteNumber("pid", pid);
        writer.WriteStartObject("args");
        writer.WriteString(field, value);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
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

    private static string Label(Ancestor a) =>
        a.Argv.Count > 1 ? $"{(a.Exe.Length == 0 ? "?" : a.Exe)}({a.Pid})[{string.Join(' ', a.Argv.Skip(1))}]" : $"{(a.Exe.Length == 0 ? "?" : a.Exe)}({a.Pid})";

    private static long Micros(TimeSpan span) => span.Ticks / TimeSpan.TicksPerMicrosecond;
}
