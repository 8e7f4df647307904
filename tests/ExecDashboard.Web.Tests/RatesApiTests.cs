using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ExecDashboard.TestSupport.Recordings;
using ExecDashboard.Web.Tests.Support;

namespace ExecDashboard.Web.Tests;

/// <summary><c>/api/rates/*</c> of a stored session (<c>session=ID</c>): programs, parents and storms of the recording, not of the live stream.</summary>
public sealed class RatesApiTests : IAsyncLifetime
{
    private DashboardServer _server = null!;

    public async Task InitializeAsync() => _server = await DashboardServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_stored_session_names_its_programs_parents_and_storms()
    {
        using var client = _server.Client();
        var log = new StringWriter();
        var recording = SendmailRecording.Write(log, runs: 40, n => 5 * n, new DateTimeOffset(2026, 11, 20, 8, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(500));
        using var imported = await client.PostAsync("/api/sessions/import?name=forty", new StringContent(log.ToString()));
        Assert.Equal(HttpStatusCode.Created, imported.StatusCode);
        var id = (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var programs = (await client.GetFromJsonAsync<JsonElement[]>($"/api/rates/programs?session={id}&top=3"))!;
        var sendmail = programs[0];
        Assert.Equal("bash /usr/sbin/sendmail -t", sendmail.GetProperty("program").GetString());
        Assert.Equal(40, sendmail.GetProperty("runs").GetInt64());
        Assert.Equal(recording.Runs.Select(r => (long)r.Children), sendmail.GetProperty("childrenPerRun").EnumerateArray().Select(c => c.GetInt64()));
        Assert.Equal("Growing", sendmail.GetProperty("verdict").GetString());
        Assert.Equal("sudo → bash /usr/sbin/sendmail -t", sendmail.GetProperty("chains")[0].GetProperty("chain").GetString());
        Assert.Equal(40, sendmail.GetProperty("chains")[0].GetProperty("runs").GetInt64());

        // The whole recording by default: every child of every run is in the range.
        Assert.Equal(recording.Runs.Sum(r => (long)r.Children), sendmail.GetProperty("execs").GetInt64());

        var parents = (await client.GetFromJsonAsync<JsonElement[]>($"/api/rates/parents?session={id}&window=60&top=3"))!;
        Assert.Equal(recording.Runs[^1].Pid, parents[0].GetProperty("pid").GetInt32());
        Assert.Equal("Growing", parents[0].GetProperty("growth").GetString());

        var storms = (await client.GetFromJsonAsync<JsonElement[]>($"/api/rates/storms?session={id}&threshold=20"))!;
        var storm = Assert.Single(storms);
        Assert.Equal("bash /usr/sbin/sendmail -t", storm.GetProperty("program").GetString());
        Assert.Equal(recording.Runs[^1].Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), storm.GetProperty("parent").GetString()!.Split('/')[1]);

        // The live stream holds none of it.
        Assert.Empty((await client.GetFromJsonAsync<JsonElement[]>("/api/rates/programs"))!);
    }

    [Theory]
    [InlineData("/api/rates/programs?session=999", HttpStatusCode.NotFound)]
    [InlineData("/api/rates/parents?session=999", HttpStatusCode.NotFound)]
    [InlineData("/api/rates/storms?session=999", HttpStatusCode.NotFound)]
    [InlineData("/api/rates/programs?top=0", HttpStatusCode.BadRequest)]
    [InlineData("/api/rates/programs?window=7200", HttpStatusCode.BadRequest)]
    [InlineData("/api/rates/storms?threshold=0", HttpStatusCode.BadRequest)]
    public async Task Bad_requests_get_one_sentence(string path, HttpStatusCode expected)
    {
        using var client = _server.Client();

        using var response = await client.GetAsync(path);

        // A status other than the expected one says why only in its body and the server's log.
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{path} answered {(int)response.StatusCode} {response.StatusCode}, not {(int)expected} {expected}: {body}\nserver output:\n{_server.Output}");
        using var json = JsonDocument.Parse(body);
        Assert.EndsWith(".", json.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
    }
}
