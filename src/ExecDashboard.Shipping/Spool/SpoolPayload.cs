using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// The MessagePack body of one spooled batch. A batch without process ends is written as it
/// always was (an array of events), so a spool written before ends existed still loads, and an
/// older collector can still read what a newer one left; a batch with ends is a map
/// <c>{"events": [...], "exits": [...]}</c>.
/// </summary>
internal static class SpoolPayload
{
    private const string EventsKey = "events";
    private const string ExitsKey = "exits";

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
        MessagePackSerializer.Serialize(ref writer, exits, options);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The same body, written from the domain events (no message objects in between).</summary>
    public static byte[] Serialize(IReadOnlyList<ExecEvent> events, IReadOnlyList<ProcessExitMessage> exits, MessagePackSerializerOptions options)
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

        var (head, encoded, tail) = batch.Body(options);
        return [.. head.Span, .. encoded.Span, .. tail.Span];
    }

    /// <summary>
    /// What goes around a batch's encoded events (<paramref name="eventCount"/> of them): into
    /// <paramref name="head"/> the array header (after the map's first key when there are ends),
    /// into <paramref name="tail"/> the ends, if any.
    /// </summary>
    public static void WriteFrame(int eventCount, IReadOnlyList<ProcessExitMessage> exits, MessagePackSerializerOptions options, IBufferWriter<byte> head, IBufferWriter<byte> tail)
    {
        var writer = new MessagePackWriter(head);
        if (exits.Count > 0)
        {
            writer.WriteMapHeader(2);
            writer.Write(EventsKey);
        }

        writer.WriteArrayHeader(eventCount);
        writer.Flush();
        if (exits.Count > 0)
        {
            writer = new MessagePackWriter(tail);
            writer.Write(ExitsKey);
            MessagePackSerializer.Serialize(ref writer, exits, options);
            writer.Flush();
        }
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
                    reader.Skip();
                    events = new SpooledEvents(payload[start..(int)reader.Consumed], options);
                    break;
                case ExitsKey:
                    exits = MessagePackSerializer.Deserialize<ProcessExitMessage[]>(ref reader, options);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new SpooledBatch(seq, events, exits);
    }
}
