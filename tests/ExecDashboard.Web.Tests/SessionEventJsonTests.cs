using System.Net;
using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// The store writes an export's events straight from its rows; each must be the very text the
/// contract's serializer writes for the same event, whatever its shape.
/// </summary>
public sealed class SessionEventJsonTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Every_shape_of_event_is_exported_as_the_contract_serializer_writes_it()
    {
        var tricky = "quote \" back\\slash <tag> & 'apos' + `tick` tab\t nl\n é 漢字 \u007f \u2028 😀";
        var unknownParent = new Ancestor { Key = new ProcessKey(TestEvents.Boot, 77, 0), Pid = 77, Exe = string.Empty, Argv = [], Provenance = Provenance.Inferred };
        ExecEvent[] events =
        [
            TestEvents.Expr(1),
            TestEvents.Child("/usr/bin/expr", "expr", "1553", "+", "1").Key(new ProcessKey(TestEvents.Boot, 4001, 9001)).Serial(2).Build(),
            TestEvents.Child("/bin/echo", "echo", tricky).Key(new ProcessKey(TestEvents.Boot, 4002, 9002)).Serial(3).Cwd("/tmp/<&+>").Comm("ec'ho").Build(),
            TestEvents.Child("/bin/missing").Key(new ProcessKey(TestEvents.Boot, 4003, 9003)).Serial(4).Failed().Build(),
            TestEvents.Child("/bin/cat", "cat", "x").NonUtf8Argument([0x66, 0xff, 0x2b, 0x3e]).Key(new ProcessKey(TestEvents.Boot, 4004, 9004)).Serial(5).Truncated().Build(),
            TestEvents.Child("/sbin/init").Key(new ProcessKey(TestEvents.Boot, 4005, 9005)).Serial(6).Under([]).Uid(1000).Auid(uint.MaxValue).Syscall("execveat", "i386").Build(),
            TestEvents.Child("/bin/true", "true").Key(new ProcessKey(TestEvents.Boot, 4006, 9006)).Serial(7).Under(unknownParent).Build(),
            TestEvents.Child("/bin/env", "env", "A=b+c", string.Empty, " ").Key(new ProcessKey(TestEvents.Boot, 4007, 9007)).Serial(8)
                .At(new DateTimeOffset(2026, 1, 2, 3, 4, 5, 678, 901, TimeSpan.Zero)).Build(),
        ];
        var written = await SessionFiles.ExportAsync(events);
        using var client = _server.Client();

        using var imported = await client.PostAsync("/api/sessions/import", new ByteArrayContent(written));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var id = (await JsonBody.ReadAsync(imported)).GetProperty("id").GetInt64();
        var exported = await client.GetStringAsync($"/api/sessions/{id}/export");

        Assert.Equal(EventTexts(written), EventTexts(exported));
    }

    private static string[] EventTexts(ReadOnlyMemory<byte> export)
    {
        using var document = JsonDocument.Parse(export);
        return [.. document.RootElement.GetProperty("events").EnumerateArray().Select(e => e.GetRawText())];
    }

    private static string[] EventTexts(string export) => EventTexts(System.Text.Encoding.UTF8.GetBytes(export));
}
