using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecDashboard.Contracts.Json;

/// <summary>Every other time of the session format (session start and end, process first and last seen, gaps), as <see cref="IsoMicroseconds"/>.</summary>
public sealed class UtcTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IsoMicroseconds.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        IsoMicroseconds.Write(writer, value.UtcDateTime);
    }
}
