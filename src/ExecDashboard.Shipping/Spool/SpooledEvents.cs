using System.Collections;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// A spooled batch's events as the spool holds them: their MessagePack bytes written to disk.
/// Sending puts these bytes on the wire as they are (<see cref="SpooledEventsFormatter"/>), so
/// each event is encoded once, for the spool, not a second time for SignalR; the events are
/// decoded only if someone enumerates them.
/// </summary>
internal sealed class SpooledEvents : IReadOnlyList<ExecEventMessage>
{
    private readonly MessagePackSerializerOptions _serializer;
    private IReadOnlyList<ExecEventMessage>? _decoded;

    public SpooledEvents(ReadOnlyMemory<byte> payload, MessagePackSerializerOptions serializer)
    {
        Payload = payload;
        _serializer = serializer;
        var reader = new MessagePackReader(payload);
        Count = reader.NextMessagePackType == MessagePackType.Map ? CompactExecsReader.Count(payload) : reader.ReadArrayHeader();
    }

    /// <summary>The execs in format 2, or in format 1 when an earlier collector spooled them (see <see cref="CompactExecs"/>).</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    public int Count { get; }

    public ExecEventMessage this[int index] => Decoded()[index];

    public IEnumerator<ExecEventMessage> GetEnumerator() => Decoded().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IReadOnlyList<ExecEventMessage> Decoded() => _decoded ??= Decode();

    private IReadOnlyList<ExecEventMessage> Decode()
    {
        var reader = new MessagePackReader(Payload);
        return reader.NextMessagePackType == MessagePackType.Map
            ? CompactExecsReader.Read(ref reader, _serializer)
            : MessagePackSerializer.Deserialize<ExecEventMessage[]>(Payload, _serializer);
    }
}
