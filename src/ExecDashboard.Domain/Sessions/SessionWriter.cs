using System.Text.Json;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Domain.Sessions;

/// <summary>
/// Writes a session export (format <c>execdashboard-session</c>, version 1) to a stream as it goes:
/// header, then events, processes and gaps from async sequences, flushing every
/// <see cref="FlushThreshold"/> bytes, so a download of millions of events never sits in memory.
/// </summary>
public static class SessionWriter
{
    public const int FlushThreshold = 64 * 1024;

    public static async Task WriteAsync(
        Stream stream,
        SessionHeader header,
        IAsyncEnumerable<ExecEvent> events,
        IAsyncEnumerable<SessionProcess> processes,
        IAsyncEnumerable<SessionGap> gaps,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(gaps);

        await using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = false });
        writer.WriteStartObject();
        writer.WriteString("format", SessionJson.FormatName);
        writer.WriteNumber("version", SessionJson.Version);
        writer.WritePropertyName("session");
        JsonSerializer.Serialize(
            writer,
            new SessionJson.SessionDto { Id = header.Id, Name = header.Name, Start = header.Start, End = header.End, Host = header.Host },
            SessionJson.Options);
        writer.WritePropertyName("exporter");
        JsonSerializer.Serialize(writer, new SessionJson.ExporterDto { Name = header.Exporter.Name, Version = header.Exporter.Version }, SessionJson.Options);

        writer.WriteStartArray("events");
        var eventJson = new SessionEventJson();
        await foreach (var e in events.WithCancellation(cancellationToken))
        {
            eventJson.Write(writer, e);
            await FlushIfFullAsync(writer, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("processes");
        await foreach (var p in processes.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, SessionJson.ToDto(p), SessionJson.Options);
            await FlushIfFullAsync(writer, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("gaps");
        await foreach (var g in gaps.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, g, SessionJson.Options);
            await FlushIfFullAsync(writer, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    private static async ValueTask FlushIfFullAsync(Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        if (writer.BytesPending >= FlushThreshold)
        {
            await writer.FlushAsync(cancellationToken);
        }
    }
}
