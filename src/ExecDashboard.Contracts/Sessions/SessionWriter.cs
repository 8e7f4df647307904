using System.IO.Pipelines;
using System.Text.Json;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// Writes a session export (format <c>execdashboard-session</c>, version 2) as it goes: header,
/// then events, processes, gaps and process ends (<c>exits</c>), sending every
/// <see cref="FlushThreshold"/> bytes, so a download of millions of events never sits in memory.
/// </summary>
public static class SessionWriter
{
    /// <summary>
    /// Bytes written between two flushes: just under what Kestrel holds of a response before a
    /// flush waits for the socket (64 KiB by default), so a flush returns at once while its piece
    /// is sent. Each flush wakes the sending thread: with 32 KiB a 300,000-exec export switched
    /// threads 9,000 times, with 60 KiB half as often and finished sooner; with 128 KiB every
    /// flush waited for the socket.
    /// </summary>
    public const int FlushThreshold = 60 * 1024;

    private static ContractJsonContext Json => ContractJsonContext.Default;

    /// <summary>Writes the export to a stream, each event and process through the contract's serializer.</summary>
    public static async Task WriteAsync(
        Stream stream,
        SessionHeader header,
        IAsyncEnumerable<ExecEvent> events,
        IAsyncEnumerable<SessionProcess> processes,
        IAsyncEnumerable<SessionGap> gaps,
        IAsyncEnumerable<ProcessEnd> exits,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var output = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: FlushThreshold, leaveOpen: true));
        await using (var eventArray = SessionJsonArrays.Events(events))
        await using (var processArray = SessionJsonArrays.Processes(processes))
        {
            await WriteAsync(output, header, eventArray, processArray, gaps, exits, cancellationToken);
        }

        await output.CompleteAsync();
    }

    /// <summary>
    /// Writes the export into <paramref name="output"/> (an HTTP response's body, say), with the
    /// events and processes as their sources write them (<see cref="ISessionJsonArray"/>): a store
    /// that reads its rows straight into JSON, or the contract's serializer
    /// (<see cref="SessionJsonArrays"/>). Flushes <paramref name="output"/> as it goes; does not complete it.
    /// </summary>
    public static async Task WriteAsync(
        PipeWriter output,
        SessionHeader header,
        ISessionJsonArray events,
        ISessionJsonArray processes,
        IAsyncEnumerable<SessionGap> gaps,
        IAsyncEnumerable<ProcessEnd> exits,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(processes);
        ArgumentNullException.ThrowIfNull(gaps);
        ArgumentNullException.ThrowIfNull(exits);

        // The writer shapes the document; the events and processes go into the output between
        // its array brackets, written by their sources, so to the writer both arrays are empty.
        await using var writer = new Utf8JsonWriter(output);
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

        // Sent at once: from here on a failure ends the download unfinished, never an error page
        // behind a header the output already holds.
        writer.WriteStartArray("events");
        writer.Flush();
        await FlushAsync(output, cancellationToken);
        await WriteArrayAsync(output, events, cancellationToken);
        writer.WriteEndArray();

        writer.WriteStartArray("processes");
        writer.Flush();
        await WriteArrayAsync(output, processes, cancellationToken);
        writer.WriteEndArray();

        writer.WriteStartArray("gaps");
        var sent = writer.BytesCommitted;
        await foreach (var g in gaps.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, SessionJson.ToDto(g), Json.GapDto);
            sent = await FlushIfFullAsync(writer, output, sent, cancellationToken);
        }

        writer.WriteEndArray();

        // Last and an array of its own, like the other sections: a reader of an older version 2
        // skips it as an unknown field, and the ends stream one by one like the events.
        writer.WriteStartArray("exits");
        await foreach (var x in exits.WithCancellation(cancellationToken))
        {
            JsonSerializer.Serialize(writer, ProcessExitMessage.From(x), Json.ProcessExitMessage);
            sent = await FlushIfFullAsync(writer, output, sent, cancellationToken);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        await FlushAsync(output, cancellationToken);
    }

    /// <summary>One await per <see cref="FlushThreshold"/> bytes of elements, not one per element.</summary>
    private static async Task WriteArrayAsync(PipeWriter output, ISessionJsonArray array, CancellationToken cancellationToken)
    {
        bool more;
        do
        {
            more = await array.WriteNextAsync(output, FlushThreshold, cancellationToken);
            await FlushAsync(output, cancellationToken);
        }
        while (more);
    }

    /// <summary>Sends what the writer wrote once <see cref="FlushThreshold"/> bytes are waiting; returns the writer's count at the last send.</summary>
    private static async ValueTask<long> FlushIfFullAsync(Utf8JsonWriter writer, PipeWriter output, long sent, CancellationToken cancellationToken)
    {
        if (writer.BytesCommitted + writer.BytesPending - sent < FlushThreshold)
        {
            return sent;
        }

        writer.Flush();
        await FlushAsync(output, cancellationToken);
        return writer.BytesCommitted;
    }

    private static async ValueTask FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var flushed = await output.FlushAsync(cancellationToken);
        if (flushed.IsCanceled || flushed.IsCompleted)
        {
            // The reader went away (the client closed the download): nothing more can be sent.
            throw new OperationCanceledException("The session export's reader stopped before its end.", cancellationToken);
        }
    }
}
