using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// An argument list as the JSON array text the store keeps once per distinct list. Non-ASCII
/// stays as it is (the text never reaches HTML from here), so it is compact and a substring
/// filter can match it directly.
/// </summary>
internal static class ArgvJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    // Kept with the buffer and reset for each list: the writer is built for every exec a store
    // ingests, and a new one each time was an allocation per exec.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Write(IReadOnlyList<string> argv)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        writer.WriteStartArray();
        foreach (var a in argv)
        {
            writer.WriteStringValue(a);
        }

        writer.WriteEndArray();
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes a stored list (<paramref name="stored"/>, as <see cref="Write"/> wrote it) as the value
    /// of the public JSON, which escapes with the default encoder: what is ASCII without escapes
    /// differs only in the HTML-sensitive characters and is rewritten byte by byte (an export
    /// copies hundreds of thousands of lists, <c>expr 1553 + 1</c> among them); anything else is
    /// read and written again.
    /// </summary>
    public static void WriteEscapedForExport(ReadOnlySpan<byte> stored, Utf8JsonWriter writer)
    {
        var extra = 0;
        foreach (var b in stored)
        {
            if (b is < 0x20 or >= 0x7F or (byte)'\\')
            {
                WriteReencoded(stored, writer);
                return;
            }

            extra += IsHtmlSensitive(b) ? 5 : 0;
        }

        if (extra == 0)
        {
            writer.WriteRawValue(stored, skipInputValidation: true);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(stored.Length + extra);
        var at = 0;
        foreach (var b in stored)
        {
            if (IsHtmlSensitive(b))
            {
                // \u00XX with upper-case hex, as System.Text.Json's default encoder writes it.
                "\\u00"u8.CopyTo(rented.AsSpan(at));
                rented[at + 4] = HexDigit(b >> 4);
                rented[at + 5] = HexDigit(b & 0xF);
                at += 6;
            }
            else
            {
                rented[at++] = b;
            }
        }

        writer.WriteRawValue(rented.AsSpan(0, at), skipInputValidation: true);
        ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>
    /// Reads what <see cref="Write"/> wrote. Defensive: a list migrated from a database written
    /// before every way in was validated may hold nulls (read as empty arguments) or be cut short
    /// (the arguments before the break are kept); a page must never fail on it.
    /// </summary>
    public static string[] Read(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        var list = new List<string>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
            {
                return [];
            }

            while (reader.Read() && reader.TokenType is JsonTokenType.String or JsonTokenType.Null)
            {
                list.Add(reader.GetString() ?? string.Empty);
            }
        }
        catch (JsonException)
        {
            // Malformed text: keep what was read before it.
        }

        return [.. list];
    }

    /// <summary>ASCII the default encoder escapes although the relaxed one does not (the quote only appears as a delimiter here).</summary>
    private static bool IsHtmlSensitive(byte b) => b is (byte)'<' or (byte)'>' or (byte)'&' or (byte)'\'' or (byte)'+' or (byte)'`';

    private static byte HexDigit(int value) => (byte)(value < 10 ? '0' + value : 'A' + value - 10);

    private static void WriteReencoded(ReadOnlySpan<byte> stored, Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var argument in Read(Encoding.UTF8.GetString(stored)))
        {
            writer.WriteStringValue(argument);
        }

        writer.WriteEndArray();
    }
}
