using System.Text;
using MessagePack;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// Decodes MessagePack strings that repeat from one exec to the next (host, program, arguments)
/// into one shared instance each: in a storm every child names the same few, and decoding each
/// anew was most of the hub's allocations (deploy/bench-store.sh: the decoding alone took a fifth
/// of the dashboard's CPU during a replay, and its garbage lived on in the ingest queue).
/// </summary>
/// <remarks>
/// One per thread (<see cref="ForThisThread"/>: hub calls are decoded on the connections'
/// threads), bounded, emptied when full, and hashed with the runtime's randomized seed.
/// </remarks>
public sealed class Utf8StringCache
{
    private const int MaxSharedStringBytes = 96;
    private const int MaxSharedStrings = 8192;

    [ThreadStatic]
    private static Utf8StringCache? _current;

    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _stringsByChars;

    private Utf8StringCache() => _stringsByChars = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The calling thread's cache.</summary>
    public static Utf8StringCache ForThisThread => _current ??= new Utf8StringCache();

    /// <summary>The next value, a string or nil; a short string is the instance read before, if any.</summary>
    public string? Read(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        if (!reader.TryReadStringSpan(out var utf8))
        {
            return reader.ReadString();
        }

        return Get(utf8);
    }

    /// <summary>The text of <paramref name="utf8"/>; a short one is the instance decoded before, if any.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxSharedStringBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxSharedStringBytes];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        if (_stringsByChars.TryGetValue(chars[..length], out var known))
        {
            return known;
        }

        if (_strings.Count >= MaxSharedStrings)
        {
            _strings.Clear();
        }

        var text = new string(chars[..length]);
        _strings.Add(text);
        return text;
    }

    /// <summary>An array of strings, or nil.</summary>
    public string[]? ReadArray(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = reader.ReadArrayHeader();
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = Read(ref reader)!;
        }

        return values;
    }
}
