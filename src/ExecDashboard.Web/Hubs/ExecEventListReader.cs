using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using MessagePack;
using MessagePack.Formatters;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// Reads a batch's execs in either format (see <see cref="CompactExecs"/>): an array of message
/// maps from collectors of format 1, each read by <see cref="ExecEventMessageReader"/> (the
/// validator converts them), or the format-2 map of today's collectors, read straight into
/// domain events (<see cref="DecodedExecs"/>, which the validator checks as they are).
/// </summary>
/// <remarks>Writing is not the dashboard's business; it delegates to the contractless formatter.</remarks>
internal sealed class ExecEventListReader(IMessagePackFormatter<IReadOnlyList<ExecEventMessage>?> contractless) : IMessagePackFormatter<IReadOnlyList<ExecEventMessage>?>
{
    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ExecEventMessage>? value, MessagePackSerializerOptions options) =>
        contractless.Serialize(ref writer, value, options);

    /// <remarks>
    /// Format 1 goes to the contractless list formatter, which reads each element through the
    /// options' resolver, so with <see cref="ExecEventMessageReader"/>.
    /// </remarks>
    public IReadOnlyList<ExecEventMessage>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options) =>
        reader.NextMessagePackType == MessagePackType.Map
            ? CompactExecsReader.Read(ref reader, options)
            : contractless.Deserialize(ref reader, options);
}
