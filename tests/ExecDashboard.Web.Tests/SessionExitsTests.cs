using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary>Session format version 2 carries the process ends: an exported live session re-opens elsewhere with them.</summary>
public sealed class SessionExitsTests
{
    [Fact]
    public async Task An_exported_live_session_imports_elsewhere_with_the_same_ends_in_the_api_and_the_trace()
    {
        var children = Enumerable.Range(0, 4).Select(i => TestEvents.Expr(12_000 + (ulong)i)).ToArray();
        ExitStatus[] statuses = [ExitStatus.Exited(3), ExitStatus.Killed(9), ExitStatus.Killed(11, coreDumped: true)];
        var ends = statuses.Select((status, i) => ProcessExitMessage.From(new ProcessEnd
        {
            Process = children[i].Process,
            Started = children[i].Exec.Time.AddMilliseconds(-2),
            Time = children[i].Exec.Time.AddMilliseconds(1_250 + i),
            Status = status,
        })).ToArray();

        string exported;
        Dictionary<string, string> lifetimesAtSource;
        await using (var source = await DashboardServer.StartAsync())
        {
            await using (var connection = await CollectorConnections.ConnectAsync(source))
            {
                await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("exits-export", 1, children, ends));
            }

            using var client = source.Client();
            var session = (await DashboardApi.SessionsAsync(client)).Single().GetProperty("id").GetInt64();
            exported = await client.GetStringAsync($"/api/sessions/{session}/export");
            lifetimesAtSource = await LifetimesAsync(client, children.Select(c => c.Process));
        }

        using (var file = JsonDocument.Parse(exported))
        {
            Assert.Equal(
                children.Take(3).Select(c => c.Process.ToString()),
                file.RootElement.GetProperty("exits").EnumerateArray().Select(x => x.GetProperty("process").GetString()));
        }

        await using var target = await DashboardServer.StartAsync();
        using var api = target.Client();
        using var imported = await api.PostAsync("/api/sessions/import?name=re-opened", new StringContent(exported, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var id = (await JsonBody.ReadAsync(imported)).GetProperty("id").GetInt64();

        var lifetimes = await LifetimesAsync(api, children.Select(c => c.Process));
        Assert.Equal(lifetimesAtSource, lifetimes);
        Assert.Contains("\"exitCode\":3", lifetimes[children[0].Process.ToString()], StringComparison.Ordinal);
        Assert.Contains("\"durationMs\":1252", lifetimes[children[0].Process.ToString()], StringComparison.Ordinal);
        Assert.Contains("\"coreDumped\":true", lifetimes[children[2].Process.ToString()], StringComparison.Ordinal);

        using var trace = JsonDocument.Parse(await api.GetStringAsync($"/api/sessions/{id}/trace"));
        var spans = trace.RootElement.GetProperty("traceEvents").EnumerateArray()
            .Where(e => e.GetProperty("ph").GetString() == "X")
            .ToDictionary(s => s.GetProperty("args").GetProperty("key").GetString()!, s => s.GetProperty("args"));
        Assert.Equal(3, spans[children[0].Process.ToString()].GetProperty("exitCode").GetInt32());
        Assert.Equal(9, spans[children[1].Process.ToString()].GetProperty("signal").GetInt32());
        Assert.True(spans[children[2].Process.ToString()].GetProperty("coreDumped").GetBoolean());
        Assert.Equal("unknown", spans[children[3].Process.ToString()].GetProperty("ended").GetString());
    }

    [Fact]
    public async Task A_version_1_file_without_ends_still_imports_and_its_processes_have_no_end()
    {
        await using var server = await DashboardServer.StartAsync();
        using var api = server.Client();
        var expr = TestEvents.Expr(13_000);
        var v2 = Encoding.UTF8.GetString(await SessionFiles.ExportAsync([expr]));
        var v1 = v2.Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal).Replace(",\"exits\":[]", string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain("exits", v1, StringComparison.Ordinal);

        using var imported = await api.PostAsync("/api/sessions/import", new StringContent(v1, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var process = await api.GetFromJsonAsync<JsonElement>($"/api/processes/{expr.Process}");
        Assert.Equal("unknown", process.GetProperty("state").GetString());
        Assert.False(process.TryGetProperty("ended", out _));
    }

    /// <summary>The lifetime fields of each process's API answer, as raw JSON text, by key.</summary>
    private static async Task<Dictionary<string, string>> LifetimesAsync(HttpClient client, IEnumerable<ProcessKey> keys)
    {
        string[] fields = ["state", "started", "ended", "durationMs", "exitCode", "signal", "coreDumped"];
        var result = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            var process = await client.GetFromJsonAsync<JsonElement>($"/api/processes/{key}");
            result[key.ToString()] = string.Join(',', fields.Where(f => process.TryGetProperty(f, out _)).Select(f => $"\"{f}\":{process.GetProperty(f).GetRawText()}"));
        }

        return result;
    }
}
