using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Collector.Output;

/// <summary>
/// <c>--output jsonl</c>: one JSON object per line: an exec (<see cref="ExecEventMessage"/>, the
/// same object the HTTP API and session exports carry), or a process end (<see cref="ProcessExitMessage"/>,
/// <c>"type": "exit"</c>), both through the contract's generated serializer.
/// Events of a batch are encoded into one buffer and written to the stream with one call per batch.
/// </summary>
internal sealed class JsonLinesExecEventSink : IExecEventWriter, IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Not HTML: arguments stay readable (quotes, '<', non-ASCII) while control characters are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private readonly Stream _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _writer;

    public JsonLinesExecEventSink(Stream output)
    {
        _output = output;
        _writer = new Utf8JsonWriter(_buffer, WriterOptions);
    }

    public void Write(ExecEvent execEvent)
    {
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, execEvent.ToMessage(), ContractJsonContext.Default.ExecEventMessage);
        EndLine();
    }

    public void WriteEnd(ProcessEnd end)
    {
        _writer.Reset(_buffer);
        JsonSerializer.Serialize(_writer, ProcessExitMessage.From(end), ContractJsonContext.Default.ProcessExitMessage);
        EndLine();
    }

    private void EndLine()
    {
        _writer.Flush();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
    }

    public void Flush()
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        _output.Write(_buffer.WrittenSpan);
        _output.Flush();
        _buffer.ResetWrittenCount();
    }

    public void Dispose() => _writer.Dispose();
}
