using System.Text.Json;
using ExecDashboard.Web.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ExecDashboard.Web.Tests;

/// <summary>
/// A version 1 database, as the dashboard before the compact schema wrote it, opened by the
/// current dashboard: it migrates through versions 2 and 3 to 4 and every session, event, ancestry and process
/// reads back as before.
/// </summary>
public sealed class SchemaMigrationTests : IAsyncLifetime
{
    private const string Printf = "audit-log/10006/170000000003";
    private DashboardServer _server = null!;
    private string _data = null!;

    public async Task InitializeAsync()
    {
        _data = Directory.CreateTempSubdirectory("execdash-migration-").FullName;
        var database = Path.Combine(_data, "execdashboard.db");
        await using (var connection = new SqliteConnection($"Data Source={database}"))
        {
            connection.Open();
            await using var command = connection.CreateCommand();
            command.CommandText = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema-v1.sql"));
            await command.ExecuteNonQueryAsync();
        }

        SqliteConnection.ClearAllPools();
        _server = await DashboardServer.StartOnAsync(_data);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_version_1_database_migrates_to_version_4_and_keeps_every_session_and_event()
    {
        using var client = _server.Client();
        var health = await JsonBody.ReadAsync(await client.GetAsync("/api/health"));
        Assert.Equal(4, health.GetProperty("schemaVersion").GetInt32());

        var sessions = await DashboardApi.SessionsAsync(client);
        Assert.Equal(["Live 2026-12-01 08:41", "v1-import"], sessions.Select(s => s.GetProperty("name").GetString()!).ToArray());
        Assert.All(sessions, s => Assert.Equal(8, s.GetProperty("events").GetInt64()));
        Assert.Equal(["live", "import"], sessions.Select(s => s.GetProperty("origin").GetString()!).ToArray());

        var events = await JsonBody.ReadAsync(await client.GetAsync("/api/events?session=1&limit=100"));
        var rows = events.EnumerateArray().Select(e => e.GetProperty("event")).ToArray();
        Assert.Equal([1007UL, 1006, 1005, 1004, 1003, 1002, 1001, 1000], rows.Select(e => e.GetProperty("serial").GetUInt64()).ToArray());

        var failed = rows.Single(e => e.GetProperty("serial").GetUInt64() == 1005);
        Assert.False(failed.GetProperty("success").GetBoolean());
        Assert.Equal(-2, failed.GetProperty("exit").GetInt64());
        Assert.Equal("/usr/bin/nosuch", failed.GetProperty("exe").GetString());

        var printf = rows.Single(e => e.GetProperty("serial").GetUInt64() == 1006);
        Assert.Equal(Printf, printf.GetProperty("process").GetString());
        Assert.Equal(["printf", "\u00e9\ufffd"], Strings(printf.GetProperty("argv")));
        Assert.Equal(["cHJpbnRm", "w6n/"], Strings(printf.GetProperty("argvBytes")));
        Assert.Equal("/var/spool/mqueue", printf.GetProperty("cwd").GetString());
        Assert.Equal(1000U, printf.GetProperty("auid").GetUInt32());
        var ancestry = printf.GetProperty("ancestry").EnumerateArray().ToArray();
        Assert.Equal(["audit-log/10002/170000000001", "audit-log/10000/170000000000", "audit-log/4000/170000000000"],
            ancestry.Select(a => a.GetProperty("key").GetString()!).ToArray());
        Assert.Equal(["/bin/bash", "/usr/sbin/sendmail", "-t"], Strings(ancestry[0].GetProperty("argv")));
        Assert.Equal(string.Empty, ancestry[2].GetProperty("exe").GetString());

        var chain = await JsonBody.ReadAsync(await client.GetAsync($"/api/processes/{Printf}/ancestry"));
        Assert.Equal(["/usr/bin/bash", "/usr/bin/sudo", string.Empty],
            chain.GetProperty("ancestry").EnumerateArray().Select(p => p.GetProperty("exe").GetString()!).ToArray());
        Assert.Equal("inferred", chain.GetProperty("ancestry")[2].GetProperty("provenance").GetString());

        var byPid = await JsonBody.ReadAsync(await client.GetAsync("/api/processes?pid=10002"));
        Assert.Equal(["audit-log/10002/170000000001", "small.log/10002/170000000001"],
            byPid.EnumerateArray().Select(p => p.GetProperty("key").GetString()!).Order(StringComparer.Ordinal).ToArray());

        var descendants = await JsonBody.ReadAsync(await client.GetAsync("/api/processes/audit-log/10002/170000000001/descendants"));
        Assert.Equal(5, descendants.GetProperty("descendants").GetArrayLength());
    }

    [Fact]
    public void Version_3_marks_every_existing_session_as_finished()
    {
        var probe = new StoreProbe(_server);
        Assert.Equal([1L, 2, 3, 4], probe.SchemaSteps());
        Assert.Equal(2, probe.Sessions());
        Assert.Equal(0, probe.UnfinishedImports());
    }

    [Fact]
    public async Task A_migrated_session_exports_and_its_export_imports_again_with_the_same_events()
    {
        using var client = _server.Client();
        var export = await client.GetByteArrayAsync("/api/sessions/1/export");
        using var imported = await client.PostAsync("/api/sessions/import?name=again", new ByteArrayContent(export));
        imported.EnsureSuccessStatusCode();
        var again = (await JsonBody.ReadAsync(imported)).GetProperty("id").GetInt64();

        var original = await Serials(client, 1);
        Assert.Equal(8, original.Length);
        Assert.Equal(original, await Serials(client, again));
    }

    private static async Task<ulong[]> Serials(HttpClient client, long session)
    {
        var events = await JsonBody.ReadAsync(await client.GetAsync($"/api/events?session={session}&limit=100"));
        return events.EnumerateArray().Select(e => e.GetProperty("event").GetProperty("serial").GetUInt64()).ToArray();
    }

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(a => a.GetString()!).ToArray();
}
