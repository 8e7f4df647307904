using System.Buffers;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Sessions;

/// <summary>Streams and reads <see cref="InterimSessionDocument"/>.</summary>
internal sealed class InterimJsonSessionFormat : ISessionExporter, ISessionImporter
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ContentType => "application/json";

    public async Task WriteAsync(SessionInfo session, ExecStore store, Stream output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(store);
        // Serialize into memory, copy out asynchronously in chunks: the response stream allows no synchronous writes.
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        await using var writer = new Utf8JsonWriter(buffer);
        writer.WriteStartObject();
        writer.WriteString("format", InterimSessionDocument.FormatName);
        writer.WriteNumber("version", 0);
        writer.WritePropertyName("session");
        JsonSerializer.Serialize(writer, new InterimSessionHeader { Name = session.Name, Host = session.Host, Started = session.Started, Ended = session.Ended }, Json);
        writer.WriteStartArray("events");
        var written = 0;
        await foreach (var e in store.StreamSessionEventsAsync(session.Id, cancellationToken))
        {
            JsonSerializer.Serialize(writer, e.Event.ToMessage(), Json);
            if (++written % 256 == 0)
            {
                await CopyOutAsync(writer, buffer, output, cancellationToken);
            }
        }

        writer.WriteEndArray();
        writer.WriteStartArray("gaps");
        foreach (var g in await store.GetGapsAsync(session.Id))
        {
            JsonSerializer.Serialize(writer, new InterimGap { CollectorId = g.CollectorId, Time = g.Time, SerialGaps = g.SerialGaps, KernelLost = g.KernelLost }, Json);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await CopyOutAsync(writer, buffer, output, cancellationToken);
    }

    private static async Task CopyOutAsync(Utf8JsonWriter writer, ArrayBufferWriter<byte> buffer, Stream output, CancellationToken cancellationToken)
    {
        writer.Flush();
        await output.WriteAsync(buffer.WrittenMemory, cancellationToken);
        buffer.ResetWrittenCount();
    }

    public bool Recognizes(ReadOnlySpan<byte> head) => head.TrimStart(" \t\r\n"u8).StartsWith("{"u8);

    public ImportedRecording Read(Stream input, string fallbackName)
    {
        InterimSessionDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<InterimSessionDocument>(input, Json);
        }
        catch (JsonException ex)
        {
            throw new ImportFormatException($"The file is not valid session JSON: {ex.Message}", ex);
        }

        if (document is null || document.Format != InterimSessionDocument.FormatName || document.Events is null)
        {
            throw new ImportFormatException($"The JSON is not an ExecDashboard session export (expected \"format\": \"{InterimSessionDocument.FormatName}\" and an \"events\" array).");
        }

        if (document.Version != 0)
        {
            throw new ImportFormatException($"Session format version {document.Version} is not supported by this dashboard (it reads version 0).");
        }

        var events = document.Events.Select((m, i) =>
        {
            try
            {
                return m.ToDomain();
            }
            catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
            {
                throw new ImportFormatException($"Event {i} of the file is invalid: {ex.Message}", ex);
            }
        });
        var header = document.Session ?? new InterimSessionHeader();
        var gaps = (document.Gaps ?? []).Select(g => new GapInfo(0, g.CollectorId, g.Time, g.SerialGaps, g.KernelLost));
        return new ImportedRecording(string.IsNullOrWhiteSpace(header.Name) ? fallbackName : header.Name, header.Host, header.Started, header.Ended, events, gaps);
    }
}
