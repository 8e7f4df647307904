using System.Net.Http.Json;
using System.Text.Json;

namespace ExecDashboard.Web.Tests.Support;

internal static class DashboardApi
{
    public static async Task<JsonElement[]> SessionsAsync(HttpClient client)
    {
        var sessions = await client.GetFromJsonAsync<JsonElement[]>("/api/sessions");
        return sessions ?? [];
    }

    public static async Task<long> TotalEventsAsync(HttpClient client) =>
        (await SessionsAsync(client)).Sum(s => s.GetProperty("events").GetInt64());

    /// <summary>The serial numbers of every stored event, read back through the export of every session.</summary>
    public static async Task<List<ulong>> AllSerialsAsync(HttpClient client)
    {
        var serials = new List<ulong>();
        foreach (var session in await SessionsAsync(client))
        {
            var id = session.GetProperty("id").GetInt64();
            using var export = await client.GetAsync($"/api/sessions/{id}/export");
            export.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(await export.Content.ReadAsStreamAsync());
            serials.AddRange(document.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("serial").GetUInt64()));
        }

        return serials;
    }
}
