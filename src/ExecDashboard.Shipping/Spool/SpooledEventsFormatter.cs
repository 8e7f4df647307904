using ExecDashboard.Contracts;
using MessagePack;
using MessagePack.Formatters;
using MessagePack.Resolvers;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// Writes a batch's events for the hub: spooled events as their spooled bytes (already the
/// MessagePack array the dashboard reads), anything else through the usual contractless encoding.
/// The bytes on the wire are the same either way.
/// </summary>
internal sealed class SpooledEventsFormatter : IMessagePackFormatter<IReadOnlyList<ExecEventMessage>?>
{
    /// <summary>The contractless resolver of both ends, with this formatter for the events of a batch.</summary>
    public static readonly IFormatterResolver Resolver = CompositeResolver.Create([new SpooledEventsFormatter()], [DeferredContractlessResolver.Instance]);

    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ExecEventMessage>? value, MessagePackSerializerOptions options)
    {
        if (value is SpooledEvents spooled)
        {
            writer.WriteRaw(spooled.Payload.Span);
            return;
        }

        ContractlessStandardResolver.Instance.GetFormatterWithVerify<IReadOnlyList<ExecEventMessage>?>().Serialize(ref writer, value, options);
    }

    public IReadOnlyList<ExecEventMessage>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        ContractlessStandardResolver.Instance.GetFormatterWithVerify<IReadOnlyList<ExecEventMessage>?>().Deserialize(ref reader, options);
}
