using System.Text.Json;
using System.Text.Json.Serialization;
using ExecDashboard.Contracts.Sessions;

namespace ExecDashboard.Contracts.Json;

/// <summary>
/// The one JSON serializer of the public forms (jsonl lines, API events and process ends, session exports), made
/// at compile time: no reflection. Converters sit on the members that need them, not here, so a
/// type reads and writes the same through any options that resolve it from this context (the
/// HTTP API's, for one).
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    GenerationMode = JsonSourceGenerationMode.Metadata | JsonSourceGenerationMode.Serialization,
    // A null where the format has a string is a broken document, not an empty value.
    RespectNullableAnnotations = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ExecEventMessage))]
[JsonSerializable(typeof(ProcessExitMessage))]
[JsonSerializable(typeof(SessionJson.SessionDto))]
[JsonSerializable(typeof(SessionJson.ExporterDto))]
[JsonSerializable(typeof(SessionJson.ProcessDto))]
[JsonSerializable(typeof(SessionJson.GapDto))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
