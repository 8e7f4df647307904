using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Shipping.Wire;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

/// <summary>The collector reads the dashboard's acknowledgement by hand: it must read what the dashboard writes.</summary>
public sealed class BatchAckReaderTests
{
    [Fact]
    public void Reads_an_acknowledgement_as_the_dashboard_writes_it()
    {
        var written = MessagePackSerializer.Serialize(
            new BatchAck { DurableBatchSeq = 5_000_000_000, Stored = 2000, Duplicates = 48 },
            MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance));

        var ack = BatchAckReader.Read(new ReadOnlySequence<byte>(written));

        Assert.Equal((5_000_000_000L, 2000, 48), (ack.DurableBatchSeq, ack.Stored, ack.Duplicates));
    }

    [Fact]
    public void Skips_what_a_newer_dashboard_adds()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("Warnings");
        writer.WriteArrayHeader(1);
        writer.Write("slow disk");
        writer.Write(nameof(BatchAck.DurableBatchSeq));
        writer.Write(9);
        writer.Write(nameof(BatchAck.Stored));
        writer.Write(1);
        writer.Flush();

        var ack = BatchAckReader.Read(new ReadOnlySequence<byte>(buffer.WrittenMemory));

        Assert.Equal((9L, 1, 0), (ack.DurableBatchSeq, ack.Stored, ack.Duplicates));
    }

    [Fact]
    public void Refuses_an_acknowledgement_without_a_sequence()
    {
        var written = MessagePackSerializer.Serialize(new Dictionary<string, int> { ["Stored"] = 1 });

        Assert.Throws<InvalidDataException>(() => BatchAckReader.Read(new ReadOnlySequence<byte>(written)));
    }
}
