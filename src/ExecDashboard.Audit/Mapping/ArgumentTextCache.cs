using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace ExecDashboard.Audit.Mapping;

/// <summary>
/// The text of short arguments seen lately, by their bytes: commands, flags and paths come back
/// exec after exec, so the same string serves them all instead of a new one per exec. Strings of
/// an exec outlive it in the process table, so what is not allocated is also not copied from
/// generation to generation by the garbage collector. Direct-mapped and bounded; a slot holds
/// the last argument that hashed to it. Not thread-safe, like its mapper.
/// </summary>
internal sealed class ArgumentTextCache
{
    private const int Slots = 1024;
    private const int MaxLength = 64;

    // Each slot's bytes in one fixed block, not an array per argument remembered: an argument seen
    // once (a counter, a file name) replaced its slot's array and left the old one as garbage.
    private readonly byte[] _bytes = new byte[Slots * MaxLength];
    private readonly int[] _lengths = new int[Slots];
    private readonly string?[] _texts = new string?[Slots];

    /// <summary>The text of <paramref name="bytes"/> (U+FFFD for invalid sequences); false when they are not valid UTF-8.</summary>
    public bool TryDecode(ReadOnlySpan<byte> bytes, out string text)
    {
        if (bytes.IsEmpty)
        {
            text = string.Empty;
            return true;
        }

        if (bytes.Length > MaxLength)
        {
            text = Encoding.UTF8.GetString(bytes);
            return Utf8.IsValid(bytes);
        }

        var slot = SlotOf(bytes);
        var known = _bytes.AsSpan(slot * MaxLength, MaxLength);
        if (_texts[slot] is { } cached && _lengths[slot] == bytes.Length && bytes.SequenceEqual(known[..bytes.Length]))
        {
            text = cached;
            return true;
        }

        text = Encoding.UTF8.GetString(bytes);
        if (!Utf8.IsValid(bytes))
        {
            return false;
        }

        bytes.CopyTo(known);
        _lengths[slot] = bytes.Length;
        _texts[slot] = text;
        return true;
    }

    /// <summary>
    /// A multiply-and-xor hash over eight bytes at a time: arguments are at most 64 bytes here, and
    /// HashCode.AddBytes (four bytes a step, seeded per process) cost as much as the lookup it served.
    /// A poor spread only costs a decode, never a wrong text: the slot's bytes are compared.
    /// </summary>
    private static int SlotOf(ReadOnlySpan<byte> bytes)
    {
        const ulong Multiplier = 0x9E3779B97F4A7C15;
        var hash = (ulong)bytes.Length * Multiplier;
        var i = 0;
        for (; i + sizeof(ulong) <= bytes.Length; i += sizeof(ulong))
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(bytes[i..])) * Multiplier;
        }

        for (; i < bytes.Length; i++)
        {
            hash = (hash ^ bytes[i]) * Multiplier;
        }

        return (int)(hash >> 40) & (Slots - 1);
    }
}
