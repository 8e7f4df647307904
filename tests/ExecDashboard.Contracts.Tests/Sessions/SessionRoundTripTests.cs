using System.Text;
using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.Domain.Trees;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Contracts.Tests.Sessions;

public sealed class SessionRoundTripTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Export_then_import_gives_identical_events_whatever_the_read_size(int chunk)
    {
        var events = SessionSamples.Events();
        var bytes = await SessionSamples.ExportAsync(events);

        var document = await new SessionReader().ReadAllAsync(new TrickleStream(bytes, chunk));

        Assert.Equal(SessionSamples.Header, document.Header);
        Assert.Equal(ExecDump.Of(events), ExecDump.Of(document.Events));

        Assert.Equal(SessionSamples.Gaps, document.Gaps);
        var process = Assert.Single(document.Processes);
        Assert.Equal(SessionSamples.Processes[0] with { Argv = [] }, process with { Argv = [] });
        Assert.Equal(SessionSamples.Processes[0].Argv, process.Argv);
        Assert.Equal(SessionSamples.Exits, document.Exits);
    }

    [Fact]
    public async Task Writes_each_end_as_the_exit_contract_with_nothing_that_does_not_apply()
    {
        using var json = JsonDocument.Parse(await SessionSamples.ExportAsync());
        var exits = json.RootElement.GetProperty("exits").EnumerateArray().ToArray();

        Assert.Equal(2, exits.Length);
        Assert.Equal(
            """{"type":"exit","time":"2026-11-24T12:00:03.001234Z","pid":7000,"process":"b00tc0de/7000/500","started":"2026-11-24T12:00:00.000000Z","durationMs":3001,"exitCode":3}""",
            exits[0].GetRawText());
        Assert.Equal(11, exits[1].GetProperty("signal").GetInt32());
        Assert.True(exits[1].GetProperty("coreDumped").GetBoolean());
        Assert.False(exits[1].TryGetProperty("exitCode", out _));
    }

    [Fact]
    public async Task Keeps_non_utf8_argument_bytes_exactly_and_writes_them_only_when_needed()
    {
        var bytes = await SessionSamples.ExportAsync();
        using var json = JsonDocument.Parse(bytes);
        var events = json.RootElement.GetProperty("events");

        Assert.False(events[0].TryGetProperty("argvBytes", out _));
        var touch = events.EnumerateArray().Single(e => e.GetProperty("exe").GetString() == "/usr/bin/touch");
        Assert.Equal(Convert.ToBase64String([0x63, 0x61, 0x66, 0xE9]), touch.GetProperty("argvBytes")[1].GetString());

        var document = await new SessionReader().ReadAllAsync(new MemoryStream(bytes));
        Assert.Equal(new byte[] { 0x63, 0x61, 0x66, 0xE9 }, document.Events.Single(e => e.Exec.Exe == "/usr/bin/touch").Exec.ArgvBytes![1]);
    }

    [Fact]
    public async Task Writes_the_documented_header_first()
    {
        var text = Encoding.UTF8.GetString(await SessionSamples.ExportAsync());

        Assert.StartsWith("{\"format\":\"execdashboard-session\",\"version\":2,\"session\":{\"id\":\"3f2c9a\"", text, StringComparison.Ordinal);
        Assert.Contains("\"provenance\":\"procSnapshot\"", text, StringComparison.Ordinal);
        Assert.Contains("\"kind\":\"kernelLost\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_events_to_the_output_before_the_last_one_is_produced()
    {
        using var stream = new MemoryStream();
        long writtenBeforeLast = -1;
        const int Count = 5_000;
        async IAsyncEnumerable<ExecEvent> Produce()
        {
            var template = SessionSamples.Loop(1).Events[1];
            for (var i = 0; i < Count; i++)
            {
                if (i == Count - 1)
                {
                    writtenBeforeLast = stream.Length;
                }

                await Task.Yield();
                yield return template with { Exec = template.Exec with { Serial = (ulong)i } };
            }
        }

        await SessionWriter.WriteAsync(stream, SessionSamples.Header, Produce(), AsyncEnumerable.Empty<SessionProcess>(), AsyncEnumerable.Empty<SessionGap>(), AsyncEnumerable.Empty<Domain.Processes.ProcessEnd>());

        Assert.True(writtenBeforeLast > stream.Length / 2, $"only {writtenBeforeLast} of {stream.Length} bytes were written before the last event");
        Assert.Equal(Count, (await new SessionReader().ReadAllAsync(new MemoryStream(stream.ToArray()))).Events.Count);
    }

    [Fact]
    public async Task Skips_fields_it_does_not_know()
    {
        var text = Encoding.UTF8.GetString(await SessionSamples.ExportAsync())
            .Replace("\"exporter\":", "\"comment\":{\"nested\":[1,2,{\"x\":null}]},\"exporter\":", StringComparison.Ordinal);

        var document = await new SessionReader().ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(SessionSamples.Events().Count, document.Events.Count);
    }

    [Fact]
    public async Task The_sendmail_loop_exported_and_imported_draws_the_same_tree()
    {
        var loop = SessionSamples.Loop(10, 20, 30);

        var imported = await new SessionReader().ReadAllAsync(new MemoryStream(await SessionSamples.ExportAsync(loop.Events)));

        var labels = DescendantTreeBuilder.Build(imported.Events, loop.Caller.Key).Nodes.Select(n => n.Label).ToArray();
        Assert.Equal(DescendantTreeBuilder.Build(loop.Events, loop.Caller.Key).Nodes.Select(n => n.Label), labels);
        Assert.Contains("bash ×3 [/usr/sbin/sendmail -t]", labels);
    }
}
