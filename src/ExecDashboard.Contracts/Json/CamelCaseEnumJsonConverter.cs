using System.Text.Json;
using System.Text.Json.Serialization;

namespace ExecDashboard.Contracts.Json;

/// <summary>
/// An enum as its camelCase name (<c>execSeen</c>, <c>kernelLost</c>); numbers are refused, so a
/// file says what it means. Generic, so the source generator can name it on a member.
/// </summary>
public sealed class CamelCaseEnumJsonConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
