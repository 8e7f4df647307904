using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecDashboard.Web.Api;

/// <summary>
/// The API's process answers, generated at compile time with the options of the contract's
/// <see cref="Contracts.Json.ContractJsonContext"/>, so a process reads like an exec or an end:
/// same names, times and absent values. Ignore conditions and converters sit on the members, so
/// the answers keep their shape through the HTTP options that resolve them from here.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    RespectNullableAnnotations = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ProcessResponse))]
[JsonSerializable(typeof(ProcessResponse[]))]
[JsonSerializable(typeof(AncestryResponse))]
[JsonSerializable(typeof(DescendantsResponse))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
