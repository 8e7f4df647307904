using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;

namespace ExecDashboard.Web.Tests;

/// <summary><c>GET /api/sessions/{id}/trace</c>: the Chrome trace-event format, one complete span per process, nested.</summary>
public sealed class TraceExportTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_session_exports_as_one_complete_span_per_process_each_inside_its_parent()
    {
        // The sendmail parent (known only as an ancestor), three expr children that ended, one that did not.
        var children = Enumerable.Range(0, 4).Select(i => TestEvents.Expr(9_000 + (ulong)i)).ToArray();
        var ends = children.Take(3).Select((c, i) => ProcessExitMessage.From(new ProcessEnd
        {
            Process = c.Process,
            Started = c.Exec.Time.AddMilliseconds(-1),
            Time = c.Exec.Time.AddMilliseconds(5 + i),
            Status = i == 2 ? ExitStatus.Killed(9) : ExitStatus.Exited(i),
        })).ToArray();
        await using (var connection = await CollectorConnections.ConnectAsync(_server))
        {
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("trace", 1, children, ends));
        }

        using var client = _server.Client();
        var session = (await DashboardApi.SessionsAsync(client)).Single().GetProperty("id").GetInt64();
        using var response = await client.GetAsync($"/api/sessions/{session}/trace");
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var trace = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());

        var spans = trace.RootElement.GetProperty("traceEvents").EnumerateArray().Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        var keys = spans.Select(s => s.GetProperty("args").GetProperty("key").GetString()).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(new[] { TestEvents.Sendmail.Key.ToString() }.Concat(children.Select(c => c.Process.ToString())).Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));

        var parent = spans.Single(s => s.GetProperty("args").GetProperty("key").GetString() == TestEvents.Sendmail.Key.ToString());
        Assert.Equal("/usr/bin/bash [/usr/sbin/sendmail -t]", parent.GetProperty("name").GetString());
        Assert.Equal(8024, parent.GetProperty("pid").GetInt32());
        foreach (var child in spans.Where(s => s.GetProperty("args").GetProperty("key").GetString() != TestEvents.Sendmail.Key.ToString()))
        {
            var args = child.GetProperty("args");
            Assert.Equal(TestEvents.Sendmail.Key.ToString(), args.GetProperty("parent").GetString());
            Assert.Equal(child.GetProperty("pid").GetInt32(), child.GetProperty("tid").GetInt32());
            Assert.StartsWith("/usr/bin/expr [", child.GetProperty("name").GetString(), StringComparison.Ordinal);
            Assert.Equal("expr", args.GetProperty("argv")[0].GetString());
            Assert.StartsWith("/usr/bin/bash(8024)[/usr/sbin/sendmail -t] -- ", args.GetProperty("chain").GetString(), StringComparison.Ordinal);
            Assert.InRange(Start(child), Start(parent), End(parent));
            Assert.InRange(End(child), Start(parent), End(parent));
        }

        var killed = spans.Single(s => s.GetProperty("args").GetProperty("key").GetString() == children[2].Process.ToString());
        Assert.Equal(9, killed.GetProperty("args").GetProperty("signal").GetInt32());
        Assert.Equal(8_000, killed.GetProperty("dur").GetInt64()); // from 1 ms before its exec to 7 ms after it
        var exited = spans.Single(s => s.GetProperty("args").GetProperty("key").GetString() == children[1].Process.ToString());
        Assert.Equal(1, exited.GetProperty("args").GetProperty("exitCode").GetInt32());
        var unknown = spans.Single(s => s.GetProperty("args").GetProperty("key").GetString() == children[3].Process.ToString());
        Assert.Equal("unknown", unknown.GetProperty("args").GetProperty("ended").GetString());
    }

    [Fact]
    public async Task A_session_naming_more_processes_than_a_trace_holds_is_refused_in_one_sentence()
    {
        // The sendmail parent and four expr children: five processes, one more than the bound.
        await using var server = await DashboardServer.StartAsync("--Dashboard:MaxTraceProcesses=4");
        await using (var connection = await CollectorConnections.ConnectAsync(server))
        {
            var children = Enumerable.Range(0, 4).Select(i => TestEvents.Expr(9_100 + (ulong)i)).ToArray();
            await connection.InvokeAsync<BatchAck>(CollectorHubContract.PushBatch, CollectorConnections.Batch("trace-bound", 1, children));
        }

        using var client = server.Client();
        var session = (await DashboardApi.SessionsAsync(client)).Single().GetProperty("id").GetInt64();
        using var refused = await client.GetAsync($"/api/sessions/{session}/trace");
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var error = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString();
        Assert.Equal($"Session {session} names more than 4 processes, more than a trace is built from in memory (Dashboard:MaxTraceProcesses); export the session instead, or raise the limit.", error);

        // The session itself still downloads whole.
        using var export = await client.GetAsync($"/api/sessions/{session}/export");
        export.EnsureSuccessStatusCode();
    }

    private static long Start(JsonElement span) => span.GetProperty("ts").GetInt64();

    private static long End(JsonElement span) => Start(span) + span.GetProperty("dur").GetInt64();
}
