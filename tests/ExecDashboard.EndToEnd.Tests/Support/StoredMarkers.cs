using System.Globalization;
using System.Text.Json;

namespace ExecDashboard.EndToEnd.Tests.Support;

/// <summary>Reads back, through the API, every stored exec whose arguments carry a marker.</summary>
internal static class StoredMarkers
{
    private const int Page = 10_000;

    /// <summary>The marker argument of each stored exec carrying <paramref name="mark"/>, once per stored event.</summary>
    public static async Task<IReadOnlyList<string>> ReadAsync(HttpClient api, string mark, string? host = null)
    {
        var markers = new List<string>();
        long? before = null;
        while (true)
        {
            var query = $"api/events?argv={Uri.EscapeDataString(mark)}&limit={Page.ToString(CultureInfo.InvariantCulture)}"
                + (before is { } b ? $"&before={b.ToString(CultureInfo.InvariantCulture)}" : string.Empty)
                + (host is null ? string.Empty : $"&host={Uri.EscapeDataString(host)}");
            using var events = await JsonDocument.ParseAsync(await api.GetStreamAsync(new Uri(query, UriKind.Relative)));
            var count = 0;
            foreach (var e in events.RootElement.EnumerateArray())
            {
                count++;
                before = e.GetProperty("id").GetInt64();
                markers.AddRange(e.GetProperty("event").GetProperty("argv").EnumerateArray()
                    .Select(a => a.GetString() ?? string.Empty)
                    .Where(a => a.StartsWith(mark, StringComparison.Ordinal)));
            }

            if (count < Page)
            {
                return markers;
            }
        }
    }

    /// <summary>Events stored in all sessions, from the session list.</summary>
    public static async Task<long> StoredEventsAsync(HttpClient api)
    {
        using var sessions = await JsonDocument.ParseAsync(await api.GetStreamAsync(new Uri("api/sessions", UriKind.Relative)));
        return sessions.RootElement.EnumerateArray().Sum(s => s.GetProperty("events").GetInt64());
    }
}
