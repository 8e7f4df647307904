using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Web.Storage.Postgres;

/// <summary>
/// An event's ancestry chain (nearest first) as the jsonb the PostgreSQL store keeps beside it:
/// <c>[{"boot","keyPid","start","pid","exe","argv":[...],"provenance"}]</c>.
/// </summary>
internal static class AncestryJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(IReadOnlyList<Ancestor> ancestry)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, Options))
        {
            w.WriteStartArray();
            foreach (var a in ancestry)
            {
                w.WriteStartObject();
                w.WriteString("boot", a.Key.Boot);
                w.WriteNumber("keyPid", a.Key.Pid);
                w.WriteNumber("start", a.Key.StartTicks);
                w.WriteNumber("pid", a.Pid);
                w.WriteString("exe", a.Exe);
                w.WriteStartArray("argv");
                foreach (var arg in a.Argv)
                {
                    w.WriteStringValue(arg);
                }

                w.WriteEndArray();
                w.WriteNumber("provenance", (int)a.Provenance);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static Ancestor[] Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var chain = new Ancestor[document.RootElement.GetArrayLength()];
        var i = 0;
        foreach (var a in document.RootElement.EnumerateArray())
        {
            chain[i++] = new Ancestor
            {
                Key = new ProcessKey(a.GetProperty("boot").GetString() ?? string.Empty, a.GetProperty("keyPid").GetInt32(), a.GetProperty("start").GetInt64()),
                Pid = a.GetProperty("pid").GetInt32(),
                Exe = a.GetProperty("exe").GetString() ?? string.Empty,
                Argv = [.. a.GetProperty("argv").EnumerateArray().Select(x => x.GetString() ?? string.Empty)],
                Provenance = (Provenance)a.GetProperty("provenance").GetInt32(),
            };
        }

        return chain;
    }
}
