using System.Buffers;
using System.Text.Json;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// Writes a session export (format <c>execdashboard-session</c>, version 2) to a stream as it goes:
/// header, then events, processes, gaps and process ends (<c>exits</c>) from async sequences, flushing every
/// <see cref="FlushThreshold"/> bytes, so a download of millions of events never sits in memory.
/// </summary>
public static class SessionWriter
{
    public const int FlushThreshold = 64 * 1024;

    private static ContractJsonContext Json => ContractJsonContext.Default;

    public static Task WriteAsync(
        Stream stream,
        SessionHeader header,
        IAsyncEnumerable<ExecEvent> events,
        IAsyncEnumerable<SessionProcess> processes,
        IAsyncEnumerable<SessionGap> gaps,
        IAsyncEnumerable<ProcessEnd> exits,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        return WriteAsync(stream, header, events, eventJson: null, processes, gaps, exits, cancellationToken);
    }

    /// <summary>
    /// As the other overload, with each event already one JSON object in the shape of
    /// <see cref="ExecEventMessage"/> (valid until the next is asked for), as a store that reads
    /// its rows straight into JSON supplies them; copied as they are.
    /// </summary>
    public static Task WriteAsync(
        Stream stream,
        SessionHeader header,
        IAsyncEnumerable<ReadOnlyMemory<byte>> eventJson,
        IAsyncEnumerable<SessionProcess> processes,
        IAsyncEnumerable<SessionGap> gaps,
        IAsyncEnumerable<ProcessEnd> exits,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(eventJson);
        return WriteAsync(stream, header, events: null, eventJson, processes, gaps, exits, cancellationToken);
    }

    private static async Task WriteAsync(
        Stream stream,
        SessionHeader header,
        IAsyncEnumerable<ExecEvent>? events,
        IAsyncEnumerable<ReadOnlyMemory<byte>>? eventJson,
        IAsyncEnumerable<SessionProcess> processes,
        IAsyncEnumerable<SessionGap> gaps,
        IAsyncEnumerable<ProcessEnd> exits,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(gaps);
        ArgumentNullException.ThrowIfNull(exits);

        // Into a buffer, copied to the stream in FlushThreshold pieces: JsonSerializer.Serialize
        // flushes its writer after every value, and straight onto an HTTP response that made each
        // event and process a synchronous write of its own (measured on a 300,000-exec export:
        // most of the dashboard's CPU time for the download).
        var buffer = new ArrayBufferWriter<byte>(FlushThreshold * 2);
        await using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = false });
        writer.WriteStartObject();
        writer.WriteString("format", SessionJson.FormatName);
        writer.WriteNumber("version", SessionJson.Version);
        writer.WritePropertyName("session");
        JsonSerializer.Serialize(
            writer,
            new SessionJson.SessionDto { Id = header.Id, Name = header.Name, Start = header.Start, End = header.End, Host = header.Host },
            Json.SessionDto);
        writer.WritePropertyName("exporter");
        JsonSerializer.Serialize(writer, new SessionJson.ExporterDto { Name = header.Exporter.Name, Version = header.Exporter.Version }, Json.ExporterDto);

        writer.WriteStartArray("events");
        await foreach (var e in (events ?? AsyncEnumerable.Empty<ExecEvent>()).WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, e.ToMessage(), Json.ExecEventMessage);
            await FlushIfFullAsync(writer, buffer, stream, cancellationToken);
        }

        await foreach (var json in (eventJson ?? AsyncEnumerable.Empty<ReadOnlyMemory<byte>>()).WithCancellation(cancellationToken))
        {
            writer.WriteRawValue(json.Span, skipInputValidation: true);
            await FlushIfFullAsync(writer, buffer, stream, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("processes");
        await foreach (var p in processes.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, SessionJson.ToDto(p), Json.ProcessDto);
            await FlushIfFullAsync(writer, buffer, stream, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("gaps");
        await foreach (var g in gaps.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, SessionJson.ToDto(g), Json.GapDto);
            await FlushIfFullAsync(writer, buffer, stream, cancellationToken);
        }

        writer.WriteEndArray();

        // Last and an array of its own, like the other sections: a reader of an older version 2
        // skips it as an unknown field, and the ends stream one by one like the events.
        writer.WriteStartArray("exits");
        await foreach (var x in exits.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, ProcessExitMessage.From(x), Json.ProcessExitMessage);
            await FlushIfFullAsync(writer, buffer, stream, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    private static async ValueTask FlushIfFullAsync(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream stream, CancellationToken cancellationToken)
    {
        if (writer.BytesPending + buffer.WrittenCount >= FlushThreshold)
        {
            writer.Flush();
            await stream.WriteAsync(buffer.WrittenMemory, cancellationToken);
            buffer.ResetWrittenCount();
        }
    }
}
