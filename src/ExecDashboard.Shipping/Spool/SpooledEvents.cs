using System.Collections;
using ExecDashboard.Contracts;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// A spooled batch's events as the spool holds them: the MessagePack array written to disk.
/// Sending puts these bytes on the wire as they are (<see cref="SpooledEventsFormatter"/>), so
/// each event is encoded once, for the spool, not a second time for SignalR; the events are
/// decoded only if someone enumerates them.
/// </summary>
internal sealed class SpooledEvents : IReadOnlyList<ExecEventMessage>
{
    private readonly MessagePackSerializerOptions _serializer;
    private ExecEventMessage[]? _decoded;

    public SpooledEvents(ReadOnlyMemory<byte> payload, MessagePackSerializerOptions serializer)
    {
        Payload = payload;
        _serializer = serializer;
        var reader = new MessagePackReader(payload);
        Count = reader.ReadArrayHeader();
    }

    /// <summary>One MessagePack array of <see cref="ExecEventMessage"/>.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public int Count { get; }

    public ExecEventMessage this[int index] => Decoded()[index];

    public IEnumerator<ExecEventMessage> GetEnumerator() => ((IEnumerable<ExecEventMessage>)Decoded()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private ExecEventMessage[] Decoded() => _decoded ??= MessagePackSerializer.Deserialize<ExecEventMessage[]>(Payload, _serializer);
}
