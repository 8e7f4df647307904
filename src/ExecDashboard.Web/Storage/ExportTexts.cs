using System.Buffers;
using System.Text.Json;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// The texts one export writes (names, paths, argument lists), each as the JSON string or array the
/// contract's serializer writes for it, encoded once per text id (bounded: <see cref="SlotCache{T}"/>).
/// One reader's, not thread-safe.
/// </summary>
internal sealed class ExportTexts(ExportConnection connection) : IDisposable
{
    private const int Slots = 16_384;

    private static readonly byte[] EmptyString = "\"\""u8.ToArray();
    private static readonly byte[] EmptyList = "[]"u8.ToArray();

    private readonly RawStatement _select = new(connection.Handle, "SELECT text FROM texts WHERE id = ?1;");
    private readonly SlotCache<byte[]> _strings = new(Slots);
    private readonly SlotCache<byte[]> _lists = new(Slots);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);
    private Utf8JsonWriter? _writer;

    /// <summary>Text <paramref name="id"/> as a JSON string, quotes included (<c>""</c> for id 0).</summary>
    public byte[] String(long id)
    {
        if (id == 0)
        {
            return EmptyString;
        }

        if (_strings.TryGet(id, out var json))
        {
            return json;
        }

        _select.Bind(1, id);
        var text = JsonEncodedText.Encode(_select.Step() ? _select.Utf8(0) : []);
        _select.Reset();
        json = [(byte)'"', .. text.EncodedUtf8Bytes, (byte)'"'];
        _strings.Set(id, json);
        return json;
    }

    /// <summary>
    /// The argument list stored as text <paramref name="id"/> as a JSON array; on a first sight its
    /// stored text is read from column <paramref name="column"/> of <paramref name="row"/> (NULL: no list).
    /// </summary>
    public byte[] List(long id, RawStatement row, int column)
    {
        if (_lists.TryGet(id, out var json))
        {
            return json;
        }

        if (row.IsNull(column))
        {
            json = EmptyList;
        }
        else
        {
            var writer = Scratch();
            ArgvJson.WriteEscapedForExport(row.Utf8(column), writer);
            json = Written(writer);
        }

        _lists.Set(id, json);
        return json;
    }

    /// <summary>A writer over an emptied scratch buffer, for what is rare enough to go through <see cref="Utf8JsonWriter"/>.</summary>
    public Utf8JsonWriter Scratch()
    {
        _scratch.ResetWrittenCount();
        if (_writer is null)
        {
            _writer = new Utf8JsonWriter(_scratch, new JsonWriterOptions { SkipValidation = true });
        }
        else
        {
            _writer.Reset(_scratch);
        }

        return _writer;
    }

    /// <summary>What <paramref name="writer"/> (from <see cref="Scratch"/>) wrote, copied out.</summary>
    public byte[] Written(Utf8JsonWriter writer)
    {
        writer.Flush();
        return _scratch.WrittenSpan.ToArray();
    }

    public void Dispose()
    {
        _select.Dispose();
        _writer?.Dispose();
    }
}
