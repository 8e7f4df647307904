using ExecDashboard.Domain.Processes;
using MessagePack;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// The <c>texts</c> table of one format-2 batch (see <see cref="CompactExecs"/>), read by
/// position. A text that names a key (a parent, an ancestor) is parsed the first time it is
/// named and its key kept: siblings name the same parent, and parsing it once per exec was most
/// of the dashboard's key parsing.
/// </summary>
/// <remarks>Not thread-safe: one per batch being read. Nil entries stay null; the conversion or the validator refuses them by name.</remarks>
internal sealed class BatchTexts(string[] texts, ExecEventConversion conversion)
{
    // Parsed keys by position; a default key (null boot) is one not parsed yet.
    private ProcessKey[]? _keys;

    /// <summary>Parses the batch's keys and shares their boot string.</summary>
    public ExecEventConversion Conversion => conversion;

    public string this[int position] => texts[position];

    /// <summary>Reads a position and checks that it is in the table.</summary>
    /// <remarks>
    /// Not a generic look-up shared with the ancestors table: over reference types that ran as
    /// shared code with a run-time type look-up, 0.8% of a replay's dashboard CPU (perf).
    /// </remarks>
    public int Position(ref MessagePackReader reader)
    {
        var position = reader.ReadInt32();
        return (uint)position < (uint)texts.Length ? position : throw CompactExecsReader.Outside(position, CompactExecs.TextsKey, texts.Length);
    }

    public string Text(ref MessagePackReader reader) => texts[Position(ref reader)];

    public string[] Texts(ref MessagePackReader reader)
    {
        var values = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Text(ref reader);
        }

        return values;
    }

    /// <summary>The key the text at <paramref name="position"/> names; throws <see cref="FormatException"/> naming <paramref name="field"/> when it names none.</summary>
    public ProcessKey Key(int position, string field)
    {
        _keys ??= new ProcessKey[texts.Length];
        ref var key = ref _keys[position];
        if (key.Boot is null)
        {
            key = conversion.Key(texts[position], field);
        }

        return key;
    }
}
