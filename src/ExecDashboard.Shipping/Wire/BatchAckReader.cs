using System.Buffers;
using ExecDashboard.Contracts;
using MessagePack;

namespace ExecDashboard.Shipping.Wire;

/// <summary>
/// Reads the dashboard's <see cref="BatchAck"/> from the raw MessagePack the hub connection hands
/// over (a map keyed by member names, as the contractless resolver writes it; unknown keys are
/// skipped). Read by hand for the reason <see cref="CollectorHubProtocol"/> writes pushes by
/// hand: MessagePack's non-generic entry point, which the connection would use, compiles
/// expression trees and emits a formatter type at run time.
/// </summary>
internal static class BatchAckReader
{
    public static BatchAck Read(ReadOnlySequence<byte> bytes)
    {
        var reader = new MessagePackReader(bytes);
        if (reader.TryReadNil())
        {
            throw new InvalidDataException("The dashboard answered a batch with no acknowledgement.");
        }

        long? durable = null;
        var stored = 0;
        var duplicates = 0;
        var entries = reader.ReadMapHeader();
        for (var i = 0; i < entries; i++)
        {
            switch (reader.ReadString())
            {
                case nameof(BatchAck.DurableBatchSeq):
                    durable = reader.ReadInt64();
                    break;
                case nameof(BatchAck.Stored):
                    stored = reader.ReadInt32();
                    break;
                case nameof(BatchAck.Duplicates):
                    duplicates = reader.ReadInt32();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new BatchAck
        {
            DurableBatchSeq = durable ?? throw new InvalidDataException($"The dashboard's acknowledgement has no {nameof(BatchAck.DurableBatchSeq)}."),
            Stored = stored,
            Duplicates = duplicates,
        };
    }
}
