using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ExecDashboard.Audit.Parsing;

/// <summary>
/// Finds the bytes that end a record's keys and values ('=', ' ', the ENRICHED separator 0x1d,
/// quotes) through bit masks of 64 bytes at a time: each block is compared once with vector
/// instructions, and each search is then a shift and a trailing-zero count.
/// </summary>
/// <remarks>
/// Keys and values are a few bytes long, so a byte loop per token ended on a mispredicted branch,
/// and a vectorised search per token cost more to set up than it scanned: either way tokenizing
/// was the largest self time of a 300,000-exec replay (about a tenth of its pipeline thread).
/// With the masks (and no count of '=' before each record) the audit stage alone, parse to
/// mapped exec, went from about 400 to 330 ns per record (300,000 records of the sendmail story,
/// best of 25 passes, alternating builds).
/// </remarks>
internal ref struct FieldDelimiters
{
    private const int BlockSize = 64;

    private readonly ReadOnlySpan<byte> _text;
    private int _block;
    private ulong _equals;
    private ulong _spaces;
    private ulong _doubleQuotes;
    private ulong _singleQuotes;

    public FieldDelimiters(ReadOnlySpan<byte> text)
    {
        _text = text;
        _block = -1;
    }

    /// <summary>The first '=', ' ' or 0x1d at or after <paramref name="from"/> (where a key ends), or -1.</summary>
    public int KeyEnd(int from) => Next(from, Set.KeyEnd);

    /// <summary>The first ' ' or 0x1d at or after <paramref name="from"/> (where an unquoted value ends), or -1.</summary>
    public int ValueEnd(int from) => Next(from, Set.ValueEnd);

    /// <summary>The first <paramref name="quote"/> ('"' or '\'') at or after <paramref name="from"/>, or -1.</summary>
    public int Quote(int from, byte quote) => Next(from, quote == (byte)'"' ? Set.DoubleQuote : Set.SingleQuote);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Next(int from, Set set)
    {
        while (from < _text.Length)
        {
            var block = from & ~(BlockSize - 1);
            if (block != _block)
            {
                Load(block);
            }

            var mask = set switch
            {
                Set.KeyEnd => _equals | _spaces,
                Set.ValueEnd => _spaces,
                Set.DoubleQuote => _doubleQuotes,
                _ => _singleQuotes,
            };
            mask >>= from - block;
            if (mask != 0)
            {
                return from + BitOperations.TrailingZeroCount(mask);
            }

            from = block + BlockSize;
        }

        return -1;
    }

    private void Load(int block)
    {
        _block = block;
        var rest = _text[block..];
        if (rest.Length >= BlockSize)
        {
            Compare(ref MemoryMarshal.GetReference(rest));
            return;
        }

        // The last, partial block: zeros after the end match no delimiter.
        Span<byte> padded = stackalloc byte[BlockSize];
        padded.Clear();
        rest.CopyTo(padded);
        Compare(ref MemoryMarshal.GetReference(padded));
    }

    private void Compare(ref byte start)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var bytes = Vector512.LoadUnsafe(ref start);
            _equals = Vector512.Equals(bytes, Vector512.Create((byte)'=')).ExtractMostSignificantBits();
            _spaces = (Vector512.Equals(bytes, Vector512.Create((byte)' ')) | Vector512.Equals(bytes, Vector512.Create(AuditRecordParser.EnrichmentSeparator))).ExtractMostSignificantBits();
            _doubleQuotes = Vector512.Equals(bytes, Vector512.Create((byte)'"')).ExtractMostSignificantBits();
            _singleQuotes = Vector512.Equals(bytes, Vector512.Create((byte)'\'')).ExtractMostSignificantBits();
            return;
        }

        _equals = _spaces = _doubleQuotes = _singleQuotes = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (var offset = 0; offset < BlockSize; offset += Vector256<byte>.Count)
            {
                var bytes = Vector256.LoadUnsafe(ref start, (nuint)offset);
                _equals |= (ulong)Vector256.Equals(bytes, Vector256.Create((byte)'=')).ExtractMostSignificantBits() << offset;
                _spaces |= (ulong)(Vector256.Equals(bytes, Vector256.Create((byte)' ')) | Vector256.Equals(bytes, Vector256.Create(AuditRecordParser.EnrichmentSeparator))).ExtractMostSignificantBits() << offset;
                _doubleQuotes |= (ulong)Vector256.Equals(bytes, Vector256.Create((byte)'"')).ExtractMostSignificantBits() << offset;
                _singleQuotes |= (ulong)Vector256.Equals(bytes, Vector256.Create((byte)'\'')).ExtractMostSignificantBits() << offset;
            }

            return;
        }

        for (var offset = 0; offset < BlockSize; offset += Vector128<byte>.Count)
        {
            var bytes = Vector128.LoadUnsafe(ref start, (nuint)offset);
            _equals |= (ulong)Vector128.Equals(bytes, Vector128.Create((byte)'=')).ExtractMostSignificantBits() << offset;
            _spaces |= (ulong)(Vector128.Equals(bytes, Vector128.Create((byte)' ')) | Vector128.Equals(bytes, Vector128.Create(AuditRecordParser.EnrichmentSeparator))).ExtractMostSignificantBits() << offset;
            _doubleQuotes |= (ulong)Vector128.Equals(bytes, Vector128.Create((byte)'"')).ExtractMostSignificantBits() << offset;
            _singleQuotes |= (ulong)Vector128.Equals(bytes, Vector128.Create((byte)'\'')).ExtractMostSignificantBits() << offset;
        }
    }

    private enum Set
    {
        KeyEnd,
        ValueEnd,
        DoubleQuote,
        SingleQuote,
    }
}
