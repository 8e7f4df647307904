using System.Globalization;
using System.Text.Json;

namespace ExecDashboard.Contracts.Json;

/// <summary>
/// The one text form of a time in every JSON file and answer: ISO-8601 in UTC with exactly six
/// fraction digits (<c>2026-11-24T16:05:12.345000Z</c>), the store's precision, fixed width so
/// files sort and diff as text. Reading takes any ISO-8601 time with an offset, as older files have.
/// </summary>
internal static class IsoMicroseconds
{
    private const int Length = 27;

    public static void Write(Utf8JsonWriter writer, DateTime utc)
    {
        Span<byte> text = stackalloc byte[Length];
        if (!utc.TryFormat(text, out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'", CultureInfo.InvariantCulture))
        {
            throw new JsonException($"The time {utc:O} cannot be written.");
        }

        writer.WriteStringValue(text[..written]);
    }

    public static DateTimeOffset Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || !reader.TryGetDateTimeOffset(out var time))
        {
            throw new JsonException("a time is not an ISO-8601 text such as \"2026-11-24T16:05:12.345000Z\".");
        }

        return time;
    }
}
