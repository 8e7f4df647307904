using System.Text;
using System.Text.Json;
using ExecDashboard.Collector.Output;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Collector.Tests.Output;

public sealed class JsonLinesExecEventSinkTests
{
    [Fact]
    public void Writes_one_object_per_line_with_every_field()
    {
        var line = Assert.Single(WriteLines(SampleEvents.Expr.Build()));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;

        Assert.Equal("2026-11-24T16:05:12.345000Z", root.GetProperty("time").GetString());
        Assert.Equal(4242UL, root.GetProperty("serial").GetUInt64());
        Assert.Equal("vm", root.GetProperty("host").GetString());
        Assert.Equal(12828, root.GetProperty("pid").GetInt32());
        Assert.Equal(8024, root.GetProperty("ppid").GetInt32());
        Assert.Equal(0U, root.GetProperty("uid").GetUInt32());
        Assert.Equal(uint.MaxValue, root.GetProperty("auid").GetUInt32());
        Assert.Equal("expr", root.GetProperty("comm").GetString());
        Assert.Equal("/usr/bin/expr", root.GetProperty("exe").GetString());
        Assert.Equal(["expr", "1553", "+", "1"], root.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.False(root.TryGetProperty("argvBytes", out _));
        Assert.Equal("/var/spool", root.GetProperty("cwd").GetString());
        Assert.True(root.GetProperty("success").GetBoolean());
        Assert.Equal(0, root.GetProperty("exit").GetInt64());
        Assert.Equal("execve", root.GetProperty("syscall").GetString());
        Assert.Equal("x86_64", root.GetProperty("arch").GetString());
        Assert.Equal("0a1b2c3d/12828/1000", root.GetProperty("process").GetString());
        Assert.Equal("0a1b2c3d/8024/900", root.GetProperty("parent").GetString());
    }

    [Fact]
    public void Every_line_reads_back_through_the_contract_as_the_exec_it_was_written_from()
    {
        var init = Ancestors.Init("0a1b2c3d", startTicks: 5);
        ExecEvent[] events =
        [
            SampleEvents.Expr.Build(),
            SampleEvents.Expr.Argv("printf").NonUtf8Argument([0xff, 0xfe, 0x41]).Truncated().Failed(13).Build(),
            SampleEvents.Expr.Under(Ancestors.Inferred(new ProcessKey("0a1b2c3d", 700, 70)), init).At(new DateTimeOffset(2026, 11, 24, 16, 5, 12, TimeSpan.Zero).AddTicks(1234560)).Build(),
            ExecBuilder.Of("/usr/lib/systemd/systemd", "/sbin/init").Key(init.Key).Build(),
        ];

        var read = WriteLines(events).Select(line => JsonSerializer.Deserialize(line, ContractJsonContext.Default.ExecEventMessage)!.ToDomain());

        Assert.Equal(ExecDump.Of(events), ExecDump.Of(read));
    }

    [Fact]
    public void Leaves_out_what_does_not_exist_instead_of_writing_null()
    {
        var line = Assert.Single(WriteLines(ExecBuilder.Of("/usr/lib/systemd/systemd", "/sbin/init").Key(Ancestors.Init("0a1b2c3d").Key).Build()));
        using var json = JsonDocument.Parse(line);

        Assert.False(json.RootElement.TryGetProperty("parent", out _));
        Assert.False(json.RootElement.TryGetProperty("argvTruncated", out _));
        Assert.DoesNotContain("null", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_ancestry_nearest_first_with_key_and_provenance()
    {
        using var json = JsonDocument.Parse(Assert.Single(WriteLines(SampleEvents.Expr.Build())));
        var ancestry = json.RootElement.GetProperty("ancestry").EnumerateArray().ToList();

        Assert.Equal([8024, 1], ancestry.Select(a => a.GetProperty("pid").GetInt32()));
        Assert.Equal(["/usr/bin/bash", "/usr/lib/systemd/systemd"], ancestry.Select(a => a.GetProperty("exe").GetString()));
        Assert.Equal(["/bin/sh", "/usr/sbin/sendmail", "-t"], ancestry[0].GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["0a1b2c3d/8024/900", "0a1b2c3d/1/5"], ancestry.Select(a => a.GetProperty("key").GetString()));
        Assert.Equal(["execSeen", "procSnapshot"], ancestry.Select(a => a.GetProperty("provenance").GetString()));
    }

    [Fact]
    public void Keeps_an_event_on_one_line_when_arguments_hold_newlines_tabs_and_quotes()
    {
        string[] argv = ["printf", "a\nb", "c\td", "say \"hi\" 'there'", string.Empty, "<&>"];

        var line = Assert.Single(WriteLines(SampleEvents.Expr.Argv(argv).Build()));
        using var json = JsonDocument.Parse(line);

        Assert.Equal(argv, json.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.Contains("<&>", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Adds_base64_argument_bytes_only_when_an_argument_is_not_utf8()
    {
        byte[][] bytes = [[0x65, 0x63, 0x68, 0x6f], [0xff, 0xfe, 0x41]];

        using var json = JsonDocument.Parse(Assert.Single(WriteLines(SampleEvents.Expr.Argv("echo").NonUtf8Argument(bytes[1]).Build())));

        Assert.Equal(bytes, json.RootElement.GetProperty("argvBytes").EnumerateArray().Select(a => a.GetBytesFromBase64()));
    }

    [Fact]
    public void Writes_ancestors_shared_between_events_identically_and_keeps_distinct_ones_apart()
    {
        var first = SampleEvents.Expr.Build();
        var sibling = first with { Exec = first.Exec with { Pid = 12829 } }; // same Ancestor objects
        var other = SampleEvents.Expr.Build(); // equal values, other objects

        var lines = WriteLines(first, sibling, other, first with { Ancestry = [first.Ancestry[1]] });

        Assert.Equal(lines[0].Replace("12828", "12829", StringComparison.Ordinal).Replace("/12829/1000", "/12828/1000", StringComparison.Ordinal), lines[1]);
        Assert.Equal(lines[0], lines[2]);
        using var json = JsonDocument.Parse(lines[3]);
        Assert.Equal([1], json.RootElement.GetProperty("ancestry").EnumerateArray().Select(a => a.GetProperty("pid").GetInt32()));
    }

    [Fact]
    public void Writes_nothing_to_the_stream_until_the_batch_is_flushed()
    {
        using var stream = new MemoryStream();
        using var sink = new JsonLinesExecEventSink(stream);

        sink.Write(SampleEvents.Expr.Build());
        sink.Write(SampleEvents.Expr.Failed().Build());
        Assert.Equal(0, stream.Length);

        sink.Flush();
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Empty, lines[2]);
        Assert.False(JsonDocument.Parse(lines[1]).RootElement.GetProperty("success").GetBoolean());
    }

    private static string[] WriteLines(params ExecEvent[] events)
    {
        using var stream = new MemoryStream();
        using var sink = new JsonLinesExecEventSink(stream);
        foreach (var e in events)
        {
            sink.Write(e);
        }

        sink.Flush();
        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
