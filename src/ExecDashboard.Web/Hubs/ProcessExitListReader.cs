using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using MessagePack;
using MessagePack.Formatters;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// Reads a batch's process ends with <see cref="ProcessExitsWire"/>, the collector's own reader and
/// writer of them, instead of a formatter the contractless resolver would emit at the first end. A
/// nil list or a nil end arrives as sent, null, and the batch's validation refuses it by name.
/// </summary>
internal sealed class ProcessExitListReader : IMessagePackFormatter<IReadOnlyList<ProcessExitMessage>?>
{
    public void Serialize(ref MessagePackWriter writer, IReadOnlyList<ProcessExitMessage>? value, MessagePackSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNil();
            return;
        }

        ProcessExitsWire.Write(ref writer, value);
    }

    public IReadOnlyList<ProcessExitMessage>? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        // Null entries stay, for ExitMessages to refuse with their index.
        IReadOnlyList<ProcessExitMessage?>? exits = ProcessExitsWire.Read(ref reader, options);
        return exits!;
    }
}
