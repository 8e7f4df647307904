using System.Buffers;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Contracts.Tests;

/// <summary>Writes execs in format 2 and reads them back, for the compact format's tests.</summary>
internal static class CompactExecsRoundTrip
{
    public static readonly MessagePackSerializerOptions Contractless = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    public static byte[] Format1(params ExecEvent[] events) => MessagePackSerializer.Serialize(events.Select(e => e.ToMessage()).ToArray(), Contractless);

    public static byte[] Write(params ExecEvent[] events)
    {
        var writer = new CompactExecsWriter();
        foreach (var e in events)
        {
            writer.Add(e);
        }

        return Encoded(writer);
    }

    public static byte[] Encoded(CompactExecsWriter writer)
    {
        var buffer = new ArrayBufferWriter<byte>();
        writer.WriteHead(buffer);
        buffer.Write(writer.Execs.Span);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] Messages(DecodedExecs read) => MessagePackSerializer.Serialize<ExecEventMessage[]>([.. read], Contractless);

    public static DecodedExecs Read(byte[] encoded)
    {
        var reader = new MessagePackReader(encoded);
        var read = CompactExecsReader.Read(ref reader, Contractless);
        Assert.True(reader.End);
        return read;
    }
}
