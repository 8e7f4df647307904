using System.Buffers;
using System.Buffers.Text;
using System.Runtime.CompilerServices;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Bytes written straight into the spans of an <see cref="IBufferWriter{T}"/> (an HTTP response's
/// pipe, a reader's buffer) and handed over by <see cref="Commit"/>: what the export's hand-written
/// JSON goes through. Asks for small spans, as the pipe's own blocks come (a bigger request makes
/// Kestrel lend a buffer and copy it back); a piece longer than the span left is split across spans.
/// </summary>
internal ref struct JsonOutput(IBufferWriter<byte> output)
{
    /// <summary>The longest number or other piece written in one span.</summary>
    private const int MaxPiece = 32;

    private Span<byte> _span;
    private int _at;
    private long _committed;

    /// <summary>Bytes written so far, committed or not.</summary>
    public readonly long Written => _committed + _at;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length <= _span.Length - _at)
        {
            bytes.CopyTo(_span[_at..]);
            _at += bytes.Length;
        }
        else
        {
            WriteAcross(bytes);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(byte b)
    {
        if (_at == _span.Length)
        {
            Next();
        }

        _span[_at++] = b;
    }

    public void Write(long value)
    {
        Ensure();
        Utf8Formatter.TryFormat(value, _span[_at..], out var written);
        _at += written;
    }

    public void Write(ulong value)
    {
        Ensure();
        Utf8Formatter.TryFormat(value, _span[_at..], out var written);
        _at += written;
    }

    /// <summary>
    /// A process key <c>boot/pid/start</c> as a JSON string, from its boot's JSON string (quotes
    /// included); <c>""</c> for the key of no process (pid 0, no boot), as <c>ProcessKey.ToString</c> writes it.
    /// </summary>
    public void WriteKey(scoped ReadOnlySpan<byte> bootJson, int pid, long start)
    {
        if (pid == 0 && bootJson.Length == 2)
        {
            Write("\"\""u8);
            return;
        }

        Write(bootJson[..^1]);
        Write((byte)'/');
        Write(pid);
        Write((byte)'/');
        Write(start);
        Write((byte)'"');
    }

    /// <summary>Hands what was written to the output; call before the output is flushed or written otherwise.</summary>
    public void Commit()
    {
        if (_at > 0)
        {
            output.Advance(_at);
            _committed += _at;
        }

        _at = 0;
        _span = default;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Ensure()
    {
        if (_span.Length - _at < MaxPiece)
        {
            Next();
        }
    }

    private void Next()
    {
        Commit();
        _span = output.GetSpan(MaxPiece);
    }

    private void WriteAcross(scoped ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            if (_at == _span.Length)
            {
                Next();
            }

            var n = Math.Min(bytes.Length, _span.Length - _at);
            bytes[..n].CopyTo(_span[_at..]);
            _at += n;
            bytes = bytes[n..];
        }
    }
}
