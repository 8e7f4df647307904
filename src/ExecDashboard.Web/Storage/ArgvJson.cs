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

    public static string Write(IReadOnlyList<string> argv)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartArray();
            foreach (var a in argv)
            {
                writer.WriteStringValue(a);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
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
}
