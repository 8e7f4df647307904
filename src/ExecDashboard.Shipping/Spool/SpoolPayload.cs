using ExecDashboard.Contracts;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// The MessagePack body of one spooled batch. A batch without process ends is written as it
/// always was (an array of events), so a spool written before ends existed still loads, and an
/// older collector can still read what a newer one left; a batch with ends is a map of both.
/// </summary>
internal static class SpoolPayload
{
    public static byte[] Serialize(IReadOnlyList<ExecEventMessage> events, IReadOnlyList<ProcessExitMessage> exits, MessagePackSerializerOptions options) =>
        exits.Count == 0
            ? MessagePackSerializer.Serialize(events, options)
            : MessagePackSerializer.Serialize(new WithExits { Events = events, Exits = exits }, options);

    public static SpooledBatch Deserialize(long seq, byte[] payload, MessagePackSerializerOptions options)
    {
        var reader = new MessagePackReader(payload);
        if (reader.NextMessagePackType == MessagePackType.Map)
        {
            var both = MessagePackSerializer.Deserialize<WithExits>(payload, options);
            return new SpooledBatch(seq, both.Events, both.Exits);
        }

        return new SpooledBatch(seq, MessagePackSerializer.Deserialize<ExecEventMessage[]>(payload, options));
    }

    /// <summary>Public for MessagePack's contractless resolver, which builds its formatter by reflection.</summary>
    public sealed class WithExits
    {
        public required IReadOnlyList<ExecEventMessage> Events { get; init; }

        public required IReadOnlyList<ProcessExitMessage> Exits { get; init; }
    }
}
