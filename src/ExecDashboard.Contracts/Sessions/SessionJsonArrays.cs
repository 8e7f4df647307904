using System.Buffers;
using System.Text.Json;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// The generic way to a session export's arrays: each element mapped to its contract type and
/// written by the contract's serializer. What a store that writes the JSON itself must equal.
/// </summary>
public static class SessionJsonArrays
{
    public static ISessionJsonArray Events(IAsyncEnumerable<ExecEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new Serialized<ExecEvent>(events, static (w, e) => JsonSerializer.Serialize(w, e.ToMessage(), ContractJsonContext.Default.ExecEventMessage));
    }

    public static ISessionJsonArray Processes(IAsyncEnumerable<SessionProcess> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        return new Serialized<SessionProcess>(processes, static (w, p) => JsonSerializer.Serialize(w, SessionJson.ToDto(p), ContractJsonContext.Default.ProcessDto));
    }

    private sealed class Serialized<T>(IAsyncEnumerable<T> items, Action<Utf8JsonWriter, T> write) : ISessionJsonArray
    {
        private IAsyncEnumerator<T>? _items;
        private Utf8JsonWriter? _writer;
        private bool _any;

        public async ValueTask<bool> WriteNextAsync(IBufferWriter<byte> output, int bytes, CancellationToken cancellationToken)
        {
            _items ??= items.GetAsyncEnumerator(cancellationToken);
            _writer ??= new Utf8JsonWriter(output);
            long written = 0;
            while (written < bytes)
            {
                if (!await _items.MoveNextAsync())
                {
                    return false;
                }

                if (_any)
                {
                    output.GetSpan(1)[0] = (byte)',';
                    output.Advance(1);
                    written++;
                }

                // Each element is a value of its own to the writer: the commas are ours.
                _writer.Reset(output);
                write(_writer, _items.Current);
                _writer.Flush();
                written += _writer.BytesCommitted;
                _any = true;
            }

            return true;
        }

        public async ValueTask DisposeAsync()
        {
            if (_items is not null)
            {
                await _items.DisposeAsync();
            }

            _writer?.Dispose();
        }
    }
}
