using System.Buffers;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.TestSupport.Execs;
using ExecDashboard.Web.Hubs;
using MessagePack;
using MessagePack.Resolvers;

namespace ExecDashboard.Web.Tests;

/// <summary>The hub's exec reader must read whatever the contractless formatter reads, the same way.</summary>
public sealed class ExecEventMessageReaderTests
{
    private static readonly MessagePackSerializerOptions Contractless = MessagePackSerializerOptions.Standard.WithResolver(ContractlessStandardResolver.Instance);

    [Fact]
    public void Reads_a_batch_of_execs_as_the_contractless_formatter_does()
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash", "-c", "make");
        var events = new[]
        {
            ExecBuilder.Of("/usr/bin/make", "make", "all").Pid(200).Under(shell, init).Build(),
            ExecBuilder.Of("/usr/bin/cc", "cc", new string('o', 300), "ü€😀").Pid(201).Under(shell, init).Failed().Build(),
            ExecBuilder.Of("/usr/bin/true", "true").Pid(202).Under(shell, init).NonUtf8Argument([0x66, 0xff]).Truncated().Build(),
            ExecBuilder.Of("/sbin/init", "/sbin/init").Pid(1).Build(),
        }.Select(e => e.ToMessage()).ToArray();
        var bytes = MessagePackSerializer.Serialize(events, Contractless);

        var read = MessagePackSerializer.Deserialize<ExecEventMessage[]>(bytes, HubSerializer.Options);

        Assert.Equal(Json(MessagePackSerializer.Deserialize<ExecEventMessage[]>(bytes, Contractless)), Json(read));
        Assert.Same(read[0].Ancestry[0], read[1].Ancestry[0]); // siblings share their parent's message
        Assert.Same(read[0].Host, read[1].Host);
    }

    [Fact]
    public void Ancestors_that_change_from_one_exec_to_the_next_are_read_anew_in_every_position()
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash", "-c", "make");
        var longer = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "bash", "-c", "make all");
        var make = Ancestors.Of(ExecBuilder.DefaultKey(200), "/usr/bin/make", "make");
        var events = new[]
        {
            ExecBuilder.Of("/usr/bin/cc", "cc").Pid(300).Under(shell, init).Build(),
            ExecBuilder.Of("/usr/bin/cc", "cc").Pid(301).Under(longer, init).Build(),
            ExecBuilder.Of("/usr/bin/cc", "cc").Pid(302).Under(make, longer, init).Build(),
            ExecBuilder.Of("/usr/bin/cc", "cc").Pid(303).Under(make, longer, init).Build(),
            ExecBuilder.Of("/usr/bin/cc", "cc").Pid(304).Under(shell).Build(),
        }.Select(e => e.ToMessage()).ToArray();
        var bytes = MessagePackSerializer.Serialize(events, Contractless);

        var read = MessagePackSerializer.Deserialize<ExecEventMessage[]>(bytes, HubSerializer.Options);

        Assert.Equal(Json(MessagePackSerializer.Deserialize<ExecEventMessage[]>(bytes, Contractless)), Json(read));
        Assert.Same(read[2].Ancestry[2], read[3].Ancestry[2]);
        Assert.Same(read[1].Ancestry[0], read[2].Ancestry[1]);
        Assert.Same(read[0].Ancestry[0], read[4].Ancestry[0]);
    }

    [Fact]
    public void Skips_members_it_does_not_know_and_leaves_absent_ones_unset_as_contractless_does()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write("Pid");
        writer.Write(42);
        writer.Write("SomethingNewer");
        writer.WriteArrayHeader(2);
        writer.Write("a");
        writer.Write(1);
        writer.Write("Parent");
        writer.Write(string.Empty); // what session format 1 and older collectors wrote
        writer.Write("Ancestry");
        writer.WriteArrayHeader(1);
        writer.WriteMapHeader(2);
        writer.Write("Key");
        writer.Write("b00tc0de/1/10");
        writer.Write("Extra");
        writer.WriteNil();
        writer.Flush();
        var bytes = buffer.WrittenSpan.ToArray();

        var read = MessagePackSerializer.Deserialize<ExecEventMessage>(bytes, HubSerializer.Options);
        var expected = MessagePackSerializer.Deserialize<ExecEventMessage>(bytes, Contractless);

        Assert.Equal(42, read.Pid);
        Assert.Null(read.Host);
        Assert.Null(read.Argv);
        Assert.Equal(string.Empty, read.Parent);
        Assert.Equal(expected.Ancestry[0].Key, read.Ancestry[0].Key);
        Assert.Null(read.Ancestry[0].Exe);
        Assert.Equal(expected.Host, read.Host);
    }

    private static string[] Json(ExecEventMessage[] messages) =>
        [.. messages.Select(m => JsonSerializer.Serialize(m, ContractJsonContext.Default.ExecEventMessage))];
}
