using System.Text.Json;

namespace ExecDashboard.Web.Tests.Support;

internal static class JsonBody
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
