using System.Text;
using System.Text.Json;
using ExecDashboard.Collector.Output;
using ExecDashboard.Contracts.Json;
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
    public void Jsonl_writes_an_exit_line_of_the_contract_after_the_exec_it_ends()
    {
        var lines = WriteJsonLines(End(12828, ExitStatus.Exited(3), TimeSpan.FromSeconds(1.5)), End(12829, ExitStatus.Killed(11, coreDumped: true), TimeSpan.FromSeconds(2)));

        Assert.Equal(3, lines.Length);
        Assert.False(JsonDocument.Parse(lines[0]).RootElement.TryGetProperty("type", out _));
        Assert.Equal(
            """{"type":"exit","time":"2026-11-24T16:05:13.840000Z","pid":12828,"process":"0a1b2c3d/12828/1000","started":"2026-11-24T16:05:12.340000Z","durationMs":1500,"exitCode":3}""",
            lines[1]);
        Assert.Equal(
            """{"type":"exit","time":"2026-11-24T16:05:14.340000Z","pid":12829,"process":"0a1b2c3d/12829/1000","started":"2026-11-24T16:05:12.340000Z","durationMs":2000,"signal":11,"coreDumped":true}""",
            lines[2]);
    }

    [Fact]
    public void Every_exit_line_reads_back_through_the_contract_as_the_end_it_was_written_from()
    {
        ProcessEnd[] ends =
        [
            End(12828, ExitStatus.Exited(0), TimeSpan.FromTicks(12_345_670)),
            End(12829, ExitStatus.Exited(255), TimeSpan.Zero),
            End(12830, ExitStatus.Killed(9), TimeSpan.FromMilliseconds(10)),
            End(12831, ExitStatus.Killed(6, coreDumped: true), TimeSpan.FromHours(30)),
        ];

        var read = WriteJsonLines(ends).Skip(1).Select(line => JsonSerializer.Deserialize(line, ContractJsonContext.Default.ProcessExitMessage)!.ToProcessEnd());

        Assert.Equal(ends, read);
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
