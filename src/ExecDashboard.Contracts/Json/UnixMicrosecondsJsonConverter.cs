using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecDashboard.Contracts.Json;

/// <summary>
/// A time kept as Unix microseconds (the hub's form, see <see cref="ExecEventMessage.TimeUnixMicros"/>)
/// written in JSON as <see cref="IsoMicroseconds"/>.
/// </summary>
public sealed class UnixMicrosecondsJsonConverter : JsonConverter<long>
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;

    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        (IsoMicroseconds.Read(ref reader).UtcTicks - EpochTicks) / TimeSpan.TicksPerMicrosecond;

    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var ticks = EpochTicks + (value * TimeSpan.TicksPerMicrosecond);
        if (value < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            throw new JsonException($"{value} µs since 1970 is not a time this format can write.");
        }

        IsoMicroseconds.Write(writer, new DateTime(ticks, DateTimeKind.Utc));
    }
}
