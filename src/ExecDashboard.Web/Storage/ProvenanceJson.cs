using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Each <see cref="Provenance"/> as the contract's JSON names it (its <see cref="JsonStringEnumMemberNameAttribute"/>),
/// quotes included, read from the enum once: the export writes it without asking the serializer,
/// whose enum converters were a third of what a dashboard compiled for its first export.
/// <c>ProvenanceJsonTests</c> holds each name equal to the serializer's.
/// </summary>
internal static class ProvenanceJson
{
    private static readonly Dictionary<long, byte[]> Names = Read();

    /// <summary>The stored provenance as JSON; a number that names no value is written as the number, as the serializer writes it in an ancestry.</summary>
    public static byte[] Of(long stored) =>
        Names.TryGetValue(stored, out var json) ? json : System.Text.Encoding.ASCII.GetBytes(stored.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The stored provenance as JSON, refusing a number that names no value, as the session format's processes do.</summary>
    public static byte[] Named(long stored) =>
        Names.TryGetValue(stored, out var json) ? json : throw new JsonException($"The provenance {stored} has no name in the session format.");

    private static Dictionary<long, byte[]> Read()
    {
        var names = new Dictionary<long, byte[]>();
        foreach (var field in typeof(Provenance).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);
            names[Convert.ToInt64(field.GetRawConstantValue(), System.Globalization.CultureInfo.InvariantCulture)] =
                [(byte)'"', .. JsonEncodedText.Encode(name).EncodedUtf8Bytes, (byte)'"'];
        }

        return names;
    }
}
