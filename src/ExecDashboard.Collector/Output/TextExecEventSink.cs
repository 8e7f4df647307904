using System.Globalization;
using System.Text;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Output;

/// <summary>
/// <c>--output text</c>: one line per exec, <c>exe(pid)[args] -- parent(ppid)[args] -- ... -- systemd(1)[...]</c>.
/// A failed exec (the process kept its old image) is prefixed with <c>FAILED(exit)</c>. A process
/// end is <c>exit(pid) code N after 1.23 s</c> or <c>exit(pid) signal 9 (SIGKILL) after 0.01 s</c>.
/// </summary>
internal sealed class TextExecEventSink(Stream output, Func<ExecEvent, string> formatChain) : IExecEventWriter, IDisposable
{
    private readonly StreamWriter _writer = new(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 64 * 1024) { AutoFlush = false };

    public void Write(ExecEvent execEvent)
    {
        ArgumentNullException.ThrowIfNull(execEvent);
        if (!execEvent.Exec.Success)
        {
            _writer.Write("FAILED(");
            _writer.Write(execEvent.Exec.Exit);
            _writer.Write(") ");
        }

        _writer.Write(formatChain(execEvent));
        _writer.Write('\n');
    }

    public void WriteEnd(ProcessEnd end)
    {
        ArgumentNullException.ThrowIfNull(end);
        _writer.Write(string.Create(CultureInfo.InvariantCulture, $"exit({end.Pid}) {end.Status} after {end.Duration.TotalSeconds:0.00} s"));
        _writer.Write('\n');
    }

    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose();
}
