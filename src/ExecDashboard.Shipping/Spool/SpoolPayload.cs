using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// The MessagePack body of one spooled batch: a map <c>{"exits": [...], "events": execs}</c>, the
/// ends only when there are some, with the execs in format 2 (see <see cref="CompactExecs"/>).
/// What earlier collectors spooled still loads: a bare array of format-1 events (a batch
/// without ends), or that array under <c>"events"</c>. A spool this collector wrote needs a
/// collector of this version or newer: an older one fails to load it and leaves it alone.
/// </summary>
internal static class SpoolPayload
{
    private const string EventsKey = "events";
    private const string ExitsKey = "exits";

    /// <summary>A body in format 1, as collectors before format 2 spooled it: events as message maps.</summary>
    public static byte[] Serialize(IReadOnlyList<ExecEventMessage> events, IReadOnlyList<ProcessExitMessage> exits, MessagePackSerializerOptions options)
    {
        if (exits.Count == 0)
        {
            return MessagePackSerializer.Serialize(events, options);
        }

        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(2);
        writer.Write(EventsKey);
        MessagePackSerializer.Serialize(ref writer, events, options);
        writer.Write(ExitsKey);
        ProcessExitsWire.Write(ref writer, exits);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The body this collector spools, written from the domain events (no message objects in between).</summary>
    public static byte[] Serialize(IReadOnlyList<ExecEvent> events, IReadOnlyList<ProcessExitMessage> exits)
    {
        var batch = new PendingBatch();
        for (var i = 0; i < events.Count; i++)
        {
            batch.Add(events[i]);
        }

        for (var i = 0; i < exits.Count; i++)
        {
            batch.Add(exits[i]);
        }

        var (head, encoded) = batch.Body();
        return [.. head.Span, .. encoded.Span];
    }

    /// <summary>
    /// What goes before a batch's encoded execs (<see cref="CompactExecsWriter.Execs"/>), into
    /// <paramref name="head"/>: the map's start, the ends if any, and the execs' tables. The
    /// execs come last, so reading the batch back finds where they end without walking them.
    /// </summary>
    public static void WriteFrame(CompactExecsWriter execs, IReadOnlyList<ProcessExitMessage> exits, IBufferWriter<byte> head)
    {
        var writer = new MessagePackWriter(head);
        writer.WriteMapHeader(exits.Count > 0 ? 2 : 1);
        if (exits.Count > 0)
        {
            writer.Write(ExitsKey);
            ProcessExitsWire.Write(ref writer, exits);
        }

        writer.Write(EventsKey);
        writer.Flush();
        execs.WriteHead(head);
    }

    /// <summary>
    /// Reads a spooled batch. Its events stay as their encoded bytes (<see cref="SpooledEvents"/>),
    /// so sending them does not encode them again; only the ends are decoded.
    /// </summary>
    public static SpooledBatch Deserialize(long seq, ReadOnlyMemory<byte> payload, MessagePackSerializerOptions options)
    {
        var reader = new MessagePackReader(payload);
        if (reader.NextMessagePackType != MessagePackType.Map)
        {
            return new SpooledBatch(seq, new SpooledEvents(payload, options));
        }

        IReadOnlyList<ExecEventMessage> events = [];
        ProcessExitMessage[] exits = [];
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case EventsKey:
                    var start = (int)reader.Consumed;
                    if (i == entries - 1)
                    {
                        // The last value runs to the end of the payload (as this collector writes it).
                        events = new SpooledEvents(payload[start..], options);
                        return new SpooledBatch(seq, events, exits);
                    }

                    reader.Skip();
                    events = new SpooledEvents(payload[start..(int)reader.Consumed], options);
                    break;
                case ExitsKey:
                    // This collector writes no nil end; one in a damaged spool is nothing to send.
                    exits = [.. (ProcessExitsWire.Read(ref reader, options) ?? []).OfType<ProcessExitMessage>()];
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SpooledBatch(seq, events, exits);
    }
}
