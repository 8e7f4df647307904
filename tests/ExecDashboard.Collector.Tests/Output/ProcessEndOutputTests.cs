using System.Text;
using System.Text.Json;
using ExecDashboard.Collector.Output;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Tests.Output;

public sealed class ProcessEndOutputTests
{
    private static readonly DateTimeOffset Started = new(2026, 11, 24, 16, 5, 12, 340, TimeSpan.Zero);

    [Fact]
    public void Text_says_the_exit_code_or_signal_and_how_long_it_ran()
    {
        var text = WriteText(
            End(12828, ExitStatus.Exited(3), TimeSpan.FromSeconds(1.234)),
            End(12829, ExitStatus.Killed(9), TimeSpan.FromMilliseconds(10)),
            End(12830, ExitStatus.Killed(11, coreDumped: true), TimeSpan.FromSeconds(62)));

        Assert.Equal(
            "exit(12828) code 3 after 1.23 s\n" +
            "exit(12829) signal 9 (SIGKILL) after 0.01 s\n" +
            "exit(12830) signal 11 (SIGSEGV, core dumped) after 62.00 s\n",
            text);
    }

    [Fact]
    public void Jsonl_writes_an_exit_record_after_the_exec_it_ends()
    {
        var lines = WriteJsonLines(End(12828, ExitStatus.Exited(3), TimeSpan.FromSeconds(1.5)), End(12829, ExitStatus.Killed(11, coreDumped: true), TimeSpan.FromSeconds(2)));

        Assert.Equal(3, lines.Length);
        Assert.False(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("type", out _));
        var exited = JsonDocument.Parse(lines[1]).RootElement;
        Assert.Equal("exit", exited.GetProperty("type").GetString());
        Assert.Equal("2026-11-24T16:05:13.840Z", exited.GetProperty("time").GetString());
        Assert.Equal("2026-11-24T16:05:12.340Z", exited.GetProperty("started").GetString());
        Assert.Equal(12828, exited.GetProperty("pid").GetInt32());
        Assert.Equal("0a1b2c3d/12828/1000", exited.GetProperty("process").GetString());
        Assert.Equal(1500, exited.GetProperty("durationMs").GetInt64());
        Assert.Equal(3, exited.GetProperty("exitCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, exited.GetProperty("signal").ValueKind);
        Assert.False(exited.GetProperty("coreDumped").GetBoolean());

        var killed = JsonDocument.Parse(lines[2]).RootElement;
        Assert.Equal(JsonValueKind.Null, killed.GetProperty("exitCode").ValueKind);
        Assert.Equal(11, killed.GetProperty("signal").GetInt32());
        Assert.True(killed.GetProperty("coreDumped").GetBoolean());
    }

    private static ProcessEnd End(int pid, ExitStatus status, TimeSpan ran) => new()
    {
        Process = new ProcessKey("0a1b2c3d", pid, 1000),
        Started = Started,
        Time = Started + ran,
        Status = status,
    };

    private static string WriteText(params ProcessEnd[] ends)
    {
        using var stream = new MemoryStream();
        using (var sink = new TextExecEventSink(stream, _ => "chain"))
        {
            foreach (var end in ends)
            {
                sink.WriteEnd(end);
            }

            sink.Flush();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static string[] WriteJsonLines(params ProcessEnd[] ends)
    {
        using var stream = new MemoryStream();
        using (var sink = new JsonLinesExecEventSink(stream))
        {
            sink.Write(SampleEvents.Expr.Build());
            foreach (var end in ends)
            {
                sink.WriteEnd(end);
            }

            sink.Flush();
        }

        return Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
