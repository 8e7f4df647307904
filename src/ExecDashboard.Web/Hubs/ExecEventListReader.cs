using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using MessagePack;
using MessagePack.Formatters;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// Reads a batch's execs in either format (see <see cref="CompactExecs"/>): an array of message
/// maps from collectors of format 1, each read by <see cref="ExecEventMessageReader"/>, or the
/// format-2 map of today's collectors.
/// </summary>
/// <remarks>Writing is not the dashboard's business; it delegates to the contractless formatter.</remarks>
internal sealed class ExecEventListReader(IMessagePackFormatter<IReadOnlyList<ExecEventMessage>?> contractless) : IMessagePackFormatter<IReadOnlyList<ExecEventMessage>?>
{
    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ExecEventMessage>? value, MessagePackSerializerOptions options) =>
        contractless.Serialize(ref writer, value, options);

    public IReadOnlyList<ExecEventMessage>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        if (reader.NextMessagePackType == MessagePackType.Map)
        {
            return CompactExecsReader.Read(ref reader, options);
        }

        options.Security.DepthStep(ref reader);
        var one = options.Resolver.GetFormatterWithVerify<ExecEventMessage?>();
        var execs = new ExecEventMessage[reader.ReadArrayHeader()];
        for (var i = 0; i < execs.Length; i++)
        {
            execs[i] = one.Deserialize(ref reader, options)!;
        }

        reader.Depth--;
        return execs;
    }
}
