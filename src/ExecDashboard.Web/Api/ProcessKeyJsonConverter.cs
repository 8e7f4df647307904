using System.Text.Json;
using System.Text.Json.Serialization;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Api;

/// <summary>Process keys travel in JSON as their text form <c>boot/pid/start</c>, as in URLs.</summary>
public sealed class ProcessKeyJsonConverter : JsonConverter<ProcessKey>
{
    public override ProcessKey Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return string.IsNullOrEmpty(text) ? ProcessKey.None
            : ProcessKey.TryParse(text, out var key) ? key
            : throw new JsonException($"'{text}' is not a process key of the form boot/pid/start.");
    }

    public override void Write(Utf8JsonWriter writer, ProcessKey value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
