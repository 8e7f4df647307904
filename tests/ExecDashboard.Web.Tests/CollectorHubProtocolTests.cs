using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.Shipping.Wire;
using ExecDashboard.TestSupport.Execs;
using MessagePack;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace ExecDashboard.Web.Tests;

/// <summary>The collector writes its batch pushes itself: the bytes must be those SignalR's MessagePack protocol writes.</summary>
public sealed class CollectorHubProtocolTests
{
    private static readonly MessagePackSerializerOptions Serializer = MessagePackSerializerOptions.Standard.WithResolver(SpooledEventsFormatter.Resolver);

    private static readonly MessagePackHubProtocol Stock = new(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = Serializer }));

    public static TheoryData<string> Shapes => new(["execs only", "with exits", "kernel loss known", "no invocation id"]);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Writes_a_spooled_batch_push_exactly_as_the_stock_protocol(string shape)
    {
        var message = Push(shape);

        // The inner protocol refuses pushes, so these bytes are the collector's own.
        var protocol = new CollectorHubProtocol(new PushesRefused());

        var written = new ArrayBufferWriter<byte>();
        protocol.WriteMessage(message, written);

        var expected = Stock.GetMessageBytes(message).ToArray();
        Assert.Equal(expected, written.WrittenSpan.ToArray());
        Assert.Equal(expected, protocol.GetMessageBytes(message).ToArray());
    }

    [Fact]
    public void Reads_back_a_written_push_as_the_batch_it_was()
    {
        var message = Push("with exits");
        var bytes = new ReadOnlySequence<byte>(new CollectorHubProtocol(Stock).GetMessageBytes(message));
        var dashboard = new MessagePackHubProtocol(Options.Create(new MessagePackHubProtocolOptions { SerializerOptions = Hubs.HubSerializer.Options }));

        Assert.True(dashboard.TryParseMessage(ref bytes, new PushBinder(), out var parsed));

        var batch = Assert.IsType<CollectorBatch>(Assert.IsType<InvocationMessage>(parsed).Arguments[0]);
        Assert.Equal(7, batch.BatchSeq);
        Assert.Equal(["/usr/bin/make", "/usr/bin/cc"], batch.Events.Select(e => e.Exe));
        Assert.Equal(4242, Assert.Single(batch.Exits).Pid);
    }

    [Fact]
    public void Leaves_every_other_message_to_the_stock_protocol()
    {
        var protocol = new CollectorHubProtocol(Stock);
        var ping = new ArrayBufferWriter<byte>();

        protocol.WriteMessage(PingMessage.Instance, ping);

        Assert.Equal(Stock.GetMessageBytes(PingMessage.Instance).ToArray(), ping.WrittenSpan.ToArray());
    }

    private static InvocationMessage Push(string shape)
    {
        var events = new[]
        {
            ExecBuilder.Of("/usr/bin/make", "make", "all").Pid(200).Build(),
            ExecBuilder.Of("/usr/bin/cc", "cc", "-c", "main.c").Pid(201).Build(),
        };
        var payload = SpoolPayload.Serialize(events, []);
        ProcessExitMessage[] exits = shape == "with exits"
            ? [new ProcessExitMessage { Time = new IsoTime(1_700_000_000_000_000), Started = new IsoTime(1_699_999_999_000_000), Pid = 4242, Process = new ProcessKey(ExecBuilder.DefaultBoot, 4242, 99).ToString(), ExitCode = 1 }]
            : [];
        var batch = new CollectorBatch
        {
            CollectorId = "0123456789abcdef",
            Host = "mailhost",
            BatchSeq = 7,
            Events = SpoolPayload.Deserialize(7, payload, Serializer).Events,
            Exits = exits,
            Status = new CollectorStatus { KernelLost = shape == "kernel loss known" ? 3 : null, SerialGaps = 1, Malformed = 2, QueueDrops = 300, SpoolDrops = 70_000, EventsPerSec = 12_345.5 },
        };
        return new InvocationMessage(shape == "no invocation id" ? null : "17", CollectorHubContract.PushBatch, [batch]);
    }

    /// <summary>The stock protocol for everything but invocations.</summary>
    private sealed class PushesRefused : IHubProtocol
    {
        public string Name => Stock.Name;

        public int Version => Stock.Version;

        public Microsoft.AspNetCore.Connections.TransferFormat TransferFormat => Stock.TransferFormat;

        public bool IsVersionSupported(int version) => Stock.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HubMessage? message) =>
            Stock.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => Stock.WriteMessage(Refused(message), output);

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => Stock.GetMessageBytes(Refused(message));

        private static HubMessage Refused(HubMessage message) =>
            message is InvocationMessage ? throw new InvalidOperationException("A push reached the stock protocol.") : message;
    }

    private sealed class PushBinder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => [typeof(CollectorBatch)];

        public Type GetReturnType(string invocationId) => typeof(BatchAck);

        public Type GetStreamItemType(string streamId) => throw new NotSupportedException();
    }
}
