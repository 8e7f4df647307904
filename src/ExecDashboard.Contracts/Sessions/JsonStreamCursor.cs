using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Contracts.Sessions;

/// <summary>
/// Walks a JSON document read from a stream token by token, or one whole element at a time,
/// holding at most one element in its buffer. <see cref="Utf8JsonReader"/> is a ref struct and
/// cannot live across an await, so each step makes a fresh reader over the buffered bytes from the
/// saved <see cref="JsonReaderState"/>, and refills the buffer when the step needs more bytes.
/// </summary>
internal sealed class JsonStreamCursor(Stream stream, SessionReadLimits limits)
{
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _eof;
    private long _discarded;
    private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 64 });

    public JsonTokenType TokenType { get; private set; }

    /// <summary>The current string or property name; null for other tokens.</summary>
    public string? Text { get; private set; }

    public long Int64 { get; private set; }

    /// <summary>Stream offset where the current (or next) token starts.</summary>
    public long Offset { get; private set; }

    /// <summary>Reads the next token; false at the end of a complete document.</summary>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryRead(out var done))
            {
                return !done;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Reads the next array element whole and deserializes it; false when the array ends instead.
    /// </summary>
    public async ValueTask<(bool Found, T? Value)> ReadElementAsync<T>(JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        while (true)
        {
            var step = TryReadElement(typeInfo, out var value);
            if (step != Step.NeedMore)
            {
                return (step == Step.Value, value);
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <summary>Skips the next value whole (an unknown property of a later writer).</summary>
    public async ValueTask SkipValueAsync(CancellationToken cancellationToken)
    {
        while (TryReadElement<object>(null, out _) == Step.NeedMore)
        {
            await FillAsync(cancellationToken);
        }
    }

    private enum Step
    {
        NeedMore,
        Value,
        EndOfArray,
    }

    private bool TryRead(out bool done)
    {
        done = false;
        Offset = _discarded + _start;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _eof, _state);
        try
        {
            if (!reader.Read())
            {
                if (!_eof)
                {
                    return false;
                }

                // The reader returns false at the end of input only after a complete document.
                done = true;
                return true;
            }

            Offset = _discarded + _start + reader.TokenStartIndex;
            TokenType = reader.TokenType;
            Text = reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName ? reader.GetString() : null;
            Int64 = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) ? number : 0;
        }
        catch (JsonException e)
        {
            throw Malformed(e);
        }

        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        return true;
    }

    /// <summary>Reads one element whole; with no <paramref name="typeInfo"/> it only skips it.</summary>
    private Step TryReadElement<T>(JsonTypeInfo<T>? typeInfo, out T? value)
    {
        var skipOnly = typeInfo is null;
        value = default;
        Offset = _discarded + _start;
        var span = _buffer.AsSpan(_start, _end - _start);
        var reader = new Utf8JsonReader(span, _eof, _state);
        try
        {
            if (!reader.Read())
            {
                return _eof ? throw Truncated() : Step.NeedMore;
            }

            if (reader.TokenType == JsonTokenType.EndArray && !skipOnly)
            {
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return Step.EndOfArray;
            }

            var tokenStart = (int)reader.TokenStartIndex;
            Offset = _discarded + _start + tokenStart;
            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && !reader.TrySkip())
            {
                return _eof ? throw Truncated() : Step.NeedMore;
            }

            if (typeInfo is not null)
            {
                // Any JsonException from here is about the element's content, not the document's syntax.
                value = JsonSerializer.Deserialize(span[tokenStart..(int)reader.BytesConsumed], typeInfo);
            }
        }
        catch (JsonException e) when (e.GetType() != typeof(JsonException))
        {
            // Only the reader's own (derived) exception means malformed JSON; the serializer's are content errors.
            throw Malformed(e);
        }

        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        return Step.Value;
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_eof)
        {
            throw Truncated();
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _discarded += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= limits.MaxElementBytes)
            {
                throw new SessionFormatException(
                    $"A value at byte {_discarded} is larger than the limit of {limits.MaxElementBytes} bytes.", null, null, _discarded);
            }

            Array.Resize(ref _buffer, (int)Math.Min((long)_buffer.Length * 2, limits.MaxElementBytes));
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        _end += read;
        _eof = read == 0;
        if (_discarded + _end > limits.MaxTotalBytes)
        {
            throw new SessionFormatException(
                $"The document is larger than the limit of {limits.MaxTotalBytes} bytes.", null, null, limits.MaxTotalBytes);
        }
    }

    /// <summary>Whether the rest of the input is valid JSON that merely stops: a truncated download, not a broken one.</summary>
    private bool EndsEarly()
    {
        if (!_eof)
        {
            return false;
        }

        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), isFinalBlock: false, _state);
        try
        {
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private SessionFormatException Truncated() =>
        new($"The document ends early, at byte {_discarded + _end}: it is truncated.", null, null, _discarded + _end);

    private SessionFormatException Malformed(JsonException e) =>
        EndsEarly()
            ? Truncated()
            : new($"The document is not valid JSON near byte {Offset} (line {e.LineNumber + 1}): {e.Message}", null, null, Offset, e);
}
