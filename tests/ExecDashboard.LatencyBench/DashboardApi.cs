using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ExecDashboard.LatencyBench;

/// <summary>The dashboard's JSON API: the probes' kernel times and the per-stage latency summary.</summary>
internal sealed partial class DashboardApi(Uri dashboard, string token) : IDisposable
{
    private readonly HttpClient _http = new()
    {
        BaseAddress = dashboard,
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
    };

    /// <summary>Probe number → the exec's kernel audit time in Unix milliseconds (the row's t0).</summary>
    public async Task<IReadOnlyDictionary<int, double>> ProbeKernelTimesAsync(string probeName)
    {
        var events = await _http.GetFromJsonAsync<JsonElement>($"api/events?exe={Uri.EscapeDataString(probeName)}&limit=10000");
        var times = new Dictionary<int, double>();
        foreach (var stored in events.EnumerateArray())
        {
            var e = stored.GetProperty("event");
            var argv = string.Join(' ', e.GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
            if (Marker().Match(argv) is { Success: true } m)
            {
                var time = DateTimeOffset.Parse(e.GetProperty("time").GetString()!, CultureInfo.InvariantCulture);
                times[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)] = time.ToUnixTimeMilliseconds();
            }
        }

        return times;
    }

    public async Task ClearStagesAsync() => (await _http.DeleteAsync("api/diagnostics/latency")).EnsureSuccessStatusCode();

    public async Task<IReadOnlyList<StageLatency>> StagesAsync() =>
        await _http.GetFromJsonAsync<List<StageLatency>>("api/diagnostics/latency", JsonSerializerOptions.Web) ?? [];

    public void Dispose() => _http.Dispose();

    [GeneratedRegex(@"LPROBE(\d+)X")]
    private static partial Regex Marker();
}

internal sealed record StageLatency(string Stage, int Samples, double? P50Ms, double? P90Ms, double? P99Ms);
