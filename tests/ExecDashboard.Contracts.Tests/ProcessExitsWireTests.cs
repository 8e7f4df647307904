using System.Buffers;
using System.Globalization;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Contracts.Wire;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Contracts.Tests;

/// <summary>
/// The ends written by hand must be the bytes the contractless resolver writes (the dashboard,
/// spools and earlier collectors read those), and read back what it reads.
/// </summary>
public sealed class ProcessExitsWireTests
{
    private static readonly MessagePackSerializerOptions Contractless = ContractlessStandardResolver.Options;

    private static readonly ProcessExitMessage[] Ends =
    [
        End(4242, exitCode: 0, signal: null, coreDumped: false),
        End(7, exitCode: null, signal: 9, coreDumped: false),
        End(4_194_304, exitCode: null, signal: 11, coreDumped: true),
        End(1, exitCode: -1, signal: null, coreDumped: false),
    ];

    [Fact]
    public void Ends_are_written_as_the_contractless_resolver_writes_them()
    {
        Assert.Equal(MessagePackSerializer.Serialize(Ends, Contractless), Write(Ends));
    }

    [Fact]
    public void No_ends_are_an_empty_array()
    {
        Assert.Equal(MessagePackSerializer.Serialize(Array.Empty<ProcessExitMessage>(), Contractless), Write([]));
    }

    [Fact]
    public void Ends_the_contractless_resolver_wrote_read_back_whole()
    {
        var read = Read(MessagePackSerializer.Serialize(Ends, Contractless))!;

        Assert.Equal(Describe(Ends), Describe(read!));
    }

    [Fact]
    public void Members_in_another_order_and_unknown_ones_are_read_as_the_contractless_resolver_reads_them()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(1);
        writer.WriteMapHeader(5);
        writer.Write("Signal");
        writer.Write(15);
        writer.Write("Comment");
        writer.Write("from a newer collector");
        writer.Write("Process");
        writer.Write("b1/42/1000");
        writer.Write("Pid");
        writer.Write(42);
        writer.Write("ExitCode");
        writer.WriteNil();
        writer.Flush();

        var read = Read(buffer.WrittenMemory.ToArray())!;
        var contractless = MessagePackSerializer.Deserialize<ProcessExitMessage[]>(buffer.WrittenMemory, Contractless);

        Assert.Equal(Describe(contractless), Describe(read!));
        Assert.Equal("42 b1/42/1000 0 0 - 15 False", Assert.Single(Describe(read!)));
    }

    [Fact]
    public void Nil_and_nil_ends_read_as_sent_as_the_contractless_resolver_reads_them()
    {
        Assert.Null(Read([0xc0]));
        Assert.Null(MessagePackSerializer.Deserialize<ProcessExitMessage[]?>(new byte[] { 0xc0 }, Contractless));

        var withNil = MessagePackSerializer.Serialize(new[] { Ends[0], null, Ends[1] }, Contractless);
        var read = Read(withNil)!;
        Assert.Equal(3, read.Length);
        Assert.Null(read[1]);
        Assert.Equal(Describe([Ends[0], Ends[1]]), Describe([read[0]!, read[2]!]));
        Assert.Equal(withNil, Write(read!));
    }

    [Fact]
    public void A_value_of_the_wrong_kind_is_refused()
    {
        var bytes = MessagePackSerializer.Serialize(new[] { new Dictionary<string, object> { ["Pid"] = "not a number" } }, Contractless);

        Assert.Throws<MessagePackSerializationException>(() => Read(bytes));
    }

    private static ProcessExitMessage End(int pid, int? exitCode, int? signal, bool coreDumped) => new()
    {
        Time = new IsoTime(1_700_000_000_123_456 + pid),
        Started = new IsoTime(1_699_999_999_000_001),
        Pid = pid,
        Process = string.Create(CultureInfo.InvariantCulture, $"boot-1/{pid}/17000000000"),
        ExitCode = exitCode,
        Signal = signal,
        CoreDumped = coreDumped,
    };

    private static byte[] Write(IReadOnlyList<ProcessExitMessage> ends)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        ProcessExitsWire.Write(ref writer, ends);
        writer.Flush();
        return buffer.WrittenMemory.ToArray();
    }

    private static ProcessExitMessage?[]? Read(byte[] bytes)
    {
        var reader = new MessagePackReader(bytes);
        return ProcessExitsWire.Read(ref reader, MessagePackSerializerOptions.Standard.WithSecurity(MessagePackSecurity.UntrustedData));
    }

    private static string[] Describe(IEnumerable<ProcessExitMessage> ends) =>
        [.. ends.Select(e => string.Create(CultureInfo.InvariantCulture,
            $"{e.Pid} {e.Process} {e.TimeUnixMicros} {e.StartedUnixMicros} {e.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"} {e.Signal?.ToString(CultureInfo.InvariantCulture) ?? "-"} {e.CoreDumped}"))];
}
