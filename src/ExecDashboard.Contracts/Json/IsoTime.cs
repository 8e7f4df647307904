using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecDashboard.Contracts.Json;

/// <summary>
/// A time kept as Unix microseconds, written in JSON as <see cref="IsoMicroseconds"/>. A type of
/// its own, with its converter on the type rather than on the member, so the source generator
/// still writes <see cref="ExecEventMessage"/> by its fast path (a member converter disables it).
/// </summary>
[JsonConverter(typeof(IsoTimeJsonConverter))]
public readonly record struct IsoTime(long UnixMicros);

/// <summary>Reads and writes <see cref="IsoTime"/>.</summary>
public sealed class IsoTimeJsonConverter : JsonConverter<IsoTime>
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public override IsoTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        new((IsoMicroseconds.Read(ref reader).UtcTicks - EpochTicks) / TimeSpan.TicksPerMicrosecond);

    public override void Write(Utf8JsonWriter writer, IsoTime value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value.UnixMicros < 0 || value.UnixMicros > (DateTime.MaxValue.Ticks - EpochTicks) / TimeSpan.TicksPerMicrosecond)
        {
            throw new JsonException($"{value.UnixMicros} µs since 1970 is not a time this format can write.");
        }

        IsoMicroseconds.Write(writer, new DateTime(EpochTicks + (value.UnixMicros * TimeSpan.TicksPerMicrosecond), DateTimeKind.Utc));
    }
}
