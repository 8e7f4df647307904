using System.Buffers;
using System.Globalization;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;
using MessagePack;
using static ExecDashboard.Contracts.Tests.CompactExecsRoundTrip;

namespace ExecDashboard.Contracts.Tests;

/// <summary>Format 2 of a batch's execs must read back as exactly the events format 1 carries, refused in the same words.</summary>
public sealed class CompactExecsTests
{
    private static readonly string[] ShapeNames = ["plain", "no parent", "failed", "non-utf8", "truncated", "inferred ancestor", "long strings", "big numbers", "many arguments"];

    public static TheoryData<string> Shapes => new(ShapeNames);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void An_exec_reads_back_as_its_message(string shape)
    {
        var e = Shape(shape);

        var read = Read(Write(e));

        Assert.Equal(Format1(e), Messages(read));
    }

    [Fact]
    public void A_batch_of_every_shape_reads_back_in_order()
    {
        var events = ShapeNames.Select(Shape).ToArray();

        var read = Read(Write(events));

        Assert.Equal(Format1(events), Messages(read));
    }

    [Fact]
    public void Siblings_name_their_ancestors_and_texts_once_and_share_them_when_read()
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var shell = Ancestors.Of(ExecBuilder.DefaultKey(100), "/usr/bin/bash", "/bin/bash", "/usr/sbin/sendmail", "-t");
        var siblings = Enumerable.Range(200, 100)
            .Select(pid => ExecBuilder.Of("/usr/bin/expr", "expr", (pid - 200).ToString(CultureInfo.InvariantCulture), "+", "1").Pid(pid).Under(shell, init).Build())
            .ToArray();

        var encoded = Write(siblings);
        var read = Read(encoded);

        Assert.Equal(Format1(siblings), Messages(read));
        var (first, last) = (read.Events[0], read.Events[99]);
        Assert.Same(first.Ancestry, last.Ancestry);
        Assert.Same(first.Exec.Host, last.Exec.Host);
        Assert.Same(first.Process.Boot, last.Process.Boot);
        Assert.Same(first.Process.Boot, last.Parent.Boot);
        Assert.Same(first.Parent.Boot, last.Ancestry[1].Key.Boot);

        // Format 1 writes every sibling's ancestors and member names out: format 2 is far smaller.
        Assert.True(encoded.Length * 3 < Format1(siblings).Length, $"format 2: {encoded.Length} bytes, format 1: {Format1(siblings).Length}");
    }

    [Fact]
    public void Positions_of_every_integer_width_read_back()
    {
        // Positions past 127, 255 and 65,535: each width of MessagePack's unsigned integers.
        var chain = Enumerable.Range(2, 300).Select(pid => Ancestors.Of(ExecBuilder.DefaultKey(pid), "/bin/sh", "sh", pid.ToString(CultureInfo.InvariantCulture))).ToArray();
        var events = new[]
        {
            ExecBuilder.Of("/usr/bin/xargs", [.. Enumerable.Range(0, 70_000).Select(i => i.ToString(CultureInfo.InvariantCulture))]).Pid(1000).Under(chain).Build(),
            ExecBuilder.Of("/usr/bin/echo", "echo", "69999", "128", "0").Pid(1001).Under(chain[^1], chain[128], chain[0]).Build(),
        };

        var encoded = Write(events);

        Assert.Equal(Format1(events), Messages(Read(encoded)));
    }

    [Fact]
    public void A_reader_of_format_1_only_fails_on_format_2_rather_than_reading_nothing()
    {
        var encoded = Write(ExecBuilder.Of("/usr/bin/true", "true").Build());

        Assert.Throws<MessagePackSerializationException>(() => MessagePackSerializer.Deserialize<IReadOnlyList<ExecEventMessage>>(encoded, Contractless));
    }

    [Fact]
    public void Counts_the_execs_without_reading_them()
    {
        var events = ShapeNames.Select(Shape).ToArray();

        Assert.Equal(events.Length, CompactExecsReader.Count(Write(events)));
    }

    [Fact]
    public void Starts_over_after_clear()
    {
        var writer = new CompactExecsWriter();
        writer.Add(Shape("plain"));
        writer.Clear();
        var e = Shape("inferred ancestor");
        writer.Add(e);

        Assert.Equal(Format1(e), Messages(Read(Encoded(writer))));
    }

    [Theory]
    [InlineData("texts", "Position 9 is outside the batch's \"texts\"")]
    [InlineData("ancestors", "Position 9 is outside the batch's \"ancestors\"")]
    [InlineData("format", "format 7")]
    [InlineData("fields", "has 3 elements, fewer than the 20")]
    public void Refuses_a_batch_that_breaks_the_format_and_says_where(string broken, string expected)
    {
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(4);
        writer.Write(CompactExecs.FormatKey);
        writer.Write(broken == "format" ? 7 : CompactExecs.Format);
        writer.Write(CompactExecs.TextsKey);
        writer.WriteArrayHeader(1);
        writer.Write("x");
        writer.Write(CompactExecs.AncestorsKey);
        writer.WriteArrayHeader(0);
        writer.Write(CompactExecs.ExecsKey);
        writer.WriteArrayHeader(1);
        var fields = broken == "fields" ? 3 : CompactExecs.ExecFields;
        writer.WriteArrayHeader(fields);
        for (var i = 0; i < fields; i++)
        {
            // Every text is position 0 but the host (position 9 when "texts" is broken); every list empty but the ancestry.
            switch (i)
            {
                case 2: writer.Write(broken == "texts" ? 9 : 0); break;
                case 9: writer.WriteArrayHeader(0); break;
                case 10 or 18: writer.WriteNil(); break;
                case 11 or 13: writer.Write(false); break;
                case 17: writer.Write("boot/1/1"); break;
                case 19:
                    writer.WriteArrayHeader(broken == "ancestors" ? 1 : 0);
                    if (broken == "ancestors")
                    {
                        writer.Write(9);
                    }

                    break;
                default: writer.Write(0); break;
            }
        }

        writer.Flush();

        var ex = Assert.Throws<MessagePackSerializationException>(() => Read(buffer.WrittenSpan.ToArray()));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> BrokenShapes => new(["process key", "parent key", "ancestor key", "provenance", "every problem at once"]);

    [Theory]
    [MemberData(nameof(BrokenShapes))]
    public void An_exec_that_cannot_be_converted_ends_the_events_with_the_refusal_format_1_gets(string broken)
    {
        var init = Ancestors.Init(ExecBuilder.DefaultBoot);
        var valid = ExecBuilder.Of("/usr/bin/make", "make").Pid(200).Under(init);
        var noKey = new ProcessKey(string.Empty, 5, 1);
        var e = broken switch
        {
            "process key" => valid.Key(noKey).Build(),
            "parent key" => valid.Parent(noKey).Build(),
            "ancestor key" => valid.Under(Ancestors.Of(noKey, "/bin/sh"), init).Build(),
            "provenance" => valid.Under(Ancestors.Of(ExecBuilder.DefaultKey(100), "/bin/sh", (Provenance)9), init).Build(),
            "every problem at once" => valid.Key(noKey).Parent(noKey).Under(Ancestors.Of(noKey, "/bin/sh", (Provenance)9)).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };
        var events = new[] { valid.Build(), e, valid.Pid(201).Build(), e };

        var read = Read(Write(events));

        var expected = Assert.Throws<FormatException>(() => e.ToMessage().ToDomain());
        Assert.Equal(4, read.Count);
        Assert.Single(read.Events);
        Assert.Equal(expected.Message, Assert.IsType<FormatException>(read.Refusal).Message);
    }

    [Fact]
    public void An_exec_with_a_nil_host_is_refused_as_format_1_refuses_a_missing_one()
    {
        var encoded = Write(ExecBuilder.Of("/usr/bin/true", "true").Host("nil").Build());

        // The texts table's entry for the host, written as nil (the only text of four bytes).
        byte[] nil = [0xa3, (byte)'n', (byte)'i', (byte)'l'];
        var host = encoded.AsSpan().IndexOf(nil);
        byte[] broken = [.. encoded.AsSpan(0, host), 0xc0, .. encoded.AsSpan(host + nil.Length)];
        var read = Read(broken);

        Assert.Empty(read.Events);
        Assert.Equal("A required field (argv, ancestry, process, exe or host) is missing.", read.Refusal?.Message);
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
            "many arguments" => exec.Argv([.. Enumerable.Range(0, 300).Select(i => "arg" + (i % 7).ToString(CultureInfo.InvariantCulture))]).Build(),
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }
}
