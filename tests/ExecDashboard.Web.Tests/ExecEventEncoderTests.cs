using System.Buffers;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Shipping.Spool;
using ExecDashboard.TestSupport.Execs;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

/// <summary>The collector writes execs straight from the domain: the bytes must be those every dashboard and spool already reads.</summary>
public sealed class ExecEventEncoderTests
{
    private static readonly MessagePackSerializerOptions Contractless = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    private static readonly string[] ShapeNames = ["plain", "no parent", "failed", "non-utf8", "truncated", "inferred ancestor", "long strings", "big numbers"];

    public static TheoryData<string> Shapes => new(ShapeNames);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Encodes_an_exec_exactly_as_the_contractless_message(string shape)
    {
        var e = Shape(shape);

        Assert.Equal(MessagePackSerializer.Serialize(e.ToMessage(), Contractless), Encode(new ExecEventEncoder(), e));
    }

    [Fact]
    public void Siblings_sharing_ancestors_encode_as_if_each_were_alone()
    {
        var encoder = new ExecEventEncoder();
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash", "-c", "loop");
        for (var pid = 200; pid < 210; pid++)
        {
            var e = ExecBuilder.Of("/usr/bin/expr", "expr", pid.ToString(System.Globalization.CultureInfo.InvariantCulture), "+", "1").Pid(pid).Under(shell, init).Build();
            Assert.Equal(MessagePackSerializer.Serialize(e.ToMessage(), Contractless), Encode(encoder, e));
        }
    }

    [Fact]
    public void A_spooled_batch_of_domain_events_reads_back_as_their_messages()
    {
        var events = ShapeNames.Select(Shape).ToArray();
        var payload = SpoolPayload.Serialize(events, [], Contractless);

        var read = MessagePackSerializer.Deserialize<ExecEventMessage[]>(payload, Contractless);

        Assert.Equal(events.Select(e => e.ToMessage().Process), read.Select(m => m.Process));
        Assert.Equal(MessagePackSerializer.Serialize(events.Select(e => e.ToMessage()).ToArray(), Contractless), payload);
    }

    private static ExecEvent Shape(string shape)
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash", "-c", "make all");
        var exec = ExecBuilder.Of("/usr/bin/make", "make", "all").Pid(200).Serial(42).Under(shell, init);
        return shape switch
        {
            "plain" => exec.Build(),
            "no parent" => ExecBuilder.Of("/sbin/init", "/sbin/init").Pid(1).Build(),
            "failed" => exec.Failed().Build(),
            "non-utf8" => exec.NonUtf8Argument([0x66, 0xff, 0x6f]).Build(),
            "truncated" => exec.Truncated().Build(),
            "inferred ancestor" => exec.Under(Ancestors.Inferred(ExecBuilder.DefaultKey(77)), init).Build(),
            "long strings" => exec.Argv("sh", new string('x', 70_000), "ü€😀").Cwd(new string('d', 300)).Build(),
            "big numbers" => exec.Key(new ProcessKey("replay-of-a-log.log", int.MaxValue, long.MaxValue)).Serial(ulong.MaxValue)
                .Uid(uint.MaxValue).At(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero)).Failed(long.MaxValue).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    private static byte[] Encode(ExecEventEncoder encoder, ExecEvent e)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        encoder.Write(ref writer, e);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }
}
