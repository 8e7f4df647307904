using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

/// <summary>A raw audit-log import says what it skipped, and a cut argument list is flagged, never silently empty.</summary>
public sealed class ImportSkipsTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Unreadable_and_oversized_lines_are_counted_and_the_exec_that_lost_its_arguments_is_flagged()
    {
        var log = new StringBuilder()
            .Append(Exec(501, 200, "echo")).Append(Execve(501, "a0=\"echo\" a1=\"hello\"")).Append(Tail(501))
            .Append("this line is not an audit record\n")
            .Append("type=SYSCALL msg=audit(garbage): nothing here\n")
            .Append(Exec(502, 201, "cat"))
            // The kernel never writes a record this long; the importer skips it whole and counts it.
            .Append(Execve(502, $"a0=\"cat\" a1=\"{new string('x', 70_000)}\""))
            .Append(Tail(502))
            .ToString();
        using var client = _server.Client();

        using var response = await client.PostAsync("/api/sessions/import?name=skips", new StringContent(log));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonBody.ReadAsync(response);
        var skipped = body.GetProperty("skipped");
        Assert.Equal(2, skipped.GetProperty("unreadableLines").GetInt64());
        Assert.Equal(1, skipped.GetProperty("oversizedLines").GetInt64());
        Assert.Equal(1, skipped.GetProperty("truncatedArguments").GetInt64());
        Assert.Contains("2 unreadable lines skipped", skipped.GetProperty("summary").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, body.GetProperty("events").GetInt64());

        var events = await client.GetFromJsonAsync<JsonElement[]>($"/api/events?session={body.GetProperty("id").GetInt64()}");
        var byPid = events!.Select(e => e.GetProperty("event")).ToDictionary(e => e.GetProperty("pid").GetInt32());
        Assert.False(byPid[200].TryGetProperty("argvTruncated", out _)); // only written when true, as in jsonl and exports
        Assert.Equal(["echo", "hello"], byPid[200].GetProperty("argv").EnumerateArray().Select(a => a.GetString()));
        Assert.True(byPid[201].GetProperty("argvTruncated").GetBoolean());
        Assert.Equal(0, byPid[201].GetProperty("argv").GetArrayLength());

        // The flag survives export and import.
        var export = await client.GetStringAsync($"/api/sessions/{body.GetProperty("id").GetInt64()}/export");
        Assert.Contains("\"argvTruncated\":true", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_session_export_with_an_invalid_event_is_refused_naming_its_index_and_field()
    {
        var export = Encoding.UTF8.GetString(await SessionFiles.ExportAsync([TestEvents.Expr(70_000), TestEvents.Expr(70_001)]));
        // The second event's comm becomes a megabyte: the reader accepts the JSON, the validator does not.
        var broken = export.Replace("\"comm\":\"expr\"", "\"comm\":\"expr\"", StringComparison.Ordinal);
        var index = broken.LastIndexOf("\"comm\":\"expr\"", StringComparison.Ordinal);
        broken = string.Concat(broken.AsSpan(0, index), $"\"comm\":\"{new string('c', 1_000_000)}\"", broken.AsSpan(index + "\"comm\":\"expr\"".Length));
        using var client = _server.Client();
        var before = (await DashboardApi.SessionsAsync(client)).Length;

        using var response = await client.PostAsync("/api/sessions/import", new StringContent(broken));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await JsonBody.ReadAsync(response)).GetProperty("error").GetString();
        Assert.Contains("events[1]", error, StringComparison.Ordinal);
        Assert.Contains("'comm'", error, StringComparison.Ordinal);
        Assert.Contains("Nothing was stored", error, StringComparison.Ordinal);
        Assert.Equal(before, (await DashboardApi.SessionsAsync(client)).Length);
    }

    private static string Exec(int serial, int pid, string comm) =>
        $"type=SYSCALL msg=audit(1700000000.{serial}:{serial}): arch=c000003e syscall=59 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=1 ppid=100 pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=1 comm=\"{comm}\" exe=\"/usr/bin/{comm}\" key=\"execdash\"\n";

    private static string Execve(int serial, string args) =>
        $"type=EXECVE msg=audit(1700000000.{serial}:{serial}): argc=2 {args}\n";

    private static string Tail(int serial) =>
        $"type=CWD msg=audit(1700000000.{serial}:{serial}): cwd=\"/tmp\"\ntype=PROCTITLE msg=audit(1700000000.{serial}:{serial}): proctitle=6563686F\n";
}
