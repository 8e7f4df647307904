using System.Text;
using ExecDashboard.Collector.Output;

namespace ExecDashboard.Collector.Tests.Output;

public sealed class TextExecEventSinkTests
{
    [Fact]
    public void Marks_a_failed_exec_with_its_exit_code()
    {
        Assert.Equal("FAILED(-2) chain\nchain\n", Write(SampleEvents.Expr.Failed().Build(), SampleEvents.Expr.Build()));
    }

    private static string Write(params Domain.Events.ExecEvent[] events)
    {
        using var stream = new MemoryStream();
        using (var sink = new TextExecEventSink(stream, _ => "chain"))
        {
            foreach (var e in events)
            {
                sink.Write(e);
            }

            sink.Flush();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
