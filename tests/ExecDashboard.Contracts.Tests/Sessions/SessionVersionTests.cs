using System.Text;
using System.Text.Json;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Sessions;
using ExecDashboard.TestSupport.Execs;

namespace ExecDashboard.Contracts.Tests.Sessions;

public sealed class SessionVersionTests
{
    /// <summary>
    /// A small export exactly as version 1 wrote it: times with their offset and as few fraction
    /// digits as needed, an unknown parent as <c>""</c>, ancestors key first.
    /// </summary>
    private const string Version1 = """
        {"format":"execdashboard-session","version":1,
         "session":{"id":"7","name":"v1 file","start":"2026-11-24T12:00:00+00:00","end":"2026-11-24T13:05:00.5+01:00","host":"oldhost"},
         "exporter":{"name":"ExecDashboard","version":"0.9.0"},
         "events":[
          {"time":"2026-11-24T12:00:00+00:00","serial":1,"host":"oldhost","pid":1,"ppid":0,"uid":0,"auid":4294967295,"comm":"systemd",
           "exe":"/usr/lib/systemd/systemd","argv":["/sbin/init"],"cwd":"/","success":true,"exit":0,"syscall":"execve","arch":"x86_64",
           "process":"b00tc0de/1/1","parent":"","ancestry":[]},
          {"time":"2026-11-24T13:00:00.123+01:00","serial":2,"host":"oldhost","pid":1000,"ppid":900,"uid":0,"auid":4294967295,"comm":"touch",
           "exe":"/usr/bin/touch","argv":["touch","caf\uFFFD"],"argvBytes":["dG91Y2g=","Y2Fm6Q=="],"argvTruncated":true,"cwd":"/","success":false,"exit":-2,
           "syscall":"execve","arch":"x86_64","process":"b00tc0de/1000/10000","parent":"b00tc0de/900/9000",
           "ancestry":[{"key":"b00tc0de/900/9000","pid":900,"exe":"","argv":[],"provenance":"inferred"},
                       {"key":"b00tc0de/1/1","pid":1,"exe":"/usr/lib/systemd/systemd","argv":["/sbin/init"],"provenance":"procSnapshot"}]}],
         "processes":[{"key":"b00tc0de/900/9000","pid":900,"ppid":1,"exe":"","argv":[],"provenance":"inferred",
                       "firstSeen":"2026-11-24T12:00:00+00:00","lastSeen":"2026-11-24T12:00:00.123+00:00"}],
         "gaps":[{"kind":"serialGap","time":"2026-11-24T12:00:01+00:00","count":3,"host":"oldhost","afterSerial":2,"beforeSerial":6}]}
        """;

    private static readonly DateTimeOffset T0 = ExecBuilder.DefaultTime;

    [Fact]
    public async Task Imports_a_version_1_file_with_every_field_it_carried()
    {
        var init = Ancestors.Of(new ProcessKey(ExecBuilder.DefaultBoot, 1, 1), "/usr/lib/systemd/systemd", Provenance.ProcSnapshot, "/sbin/init");
        var expected = new[]
        {
            ExecBuilder.Of("/usr/lib/systemd/systemd", "/sbin/init").Key(init.Key).Host("oldhost").Comm("systemd").Build(),
            ExecBuilder.Of("/usr/bin/touch", "touch").NonUtf8Argument([0x63, 0x61, 0x66, 0xE9]).Truncated().Failed()
                .Under(Ancestors.Inferred(new ProcessKey(ExecBuilder.DefaultBoot, 900, 9000)), init)
                .At(T0.AddMilliseconds(123)).Serial(2).Host("oldhost").Build(),
        };

        var document = await new SessionReader().ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(Version1)));

        Assert.Equal(ExecDump.Of(expected), ExecDump.Of(document.Events));
        Assert.Equal(T0.AddMinutes(5).AddMilliseconds(500), document.Header.End);
        Assert.Equal(Provenance.Inferred, Assert.Single(document.Processes).Provenance);
        Assert.Equal(new SessionGap { Kind = SessionGapKind.SerialGap, Time = T0.AddSeconds(1), Count = 3, Host = "oldhost", AfterSerial = 2, BeforeSerial = 6 }, Assert.Single(document.Gaps));
    }

    [Fact]
    public async Task A_version_1_file_exported_again_is_version_2_with_the_same_content()
    {
        var first = await new SessionReader().ReadAllAsync(new MemoryStream(Encoding.UTF8.GetBytes(Version1)));

        var again = await new SessionReader().ReadAllAsync(new MemoryStream(await SessionSamples.ExportAsync(first.Events, first.Header, first.Processes, first.Gaps)));

        Assert.Equal(ExecDump.Of(first.Events), ExecDump.Of(again.Events));
        Assert.Equal(first.Header, again.Header);
        Assert.Equal(first.Gaps, again.Gaps);
        Assert.Equal(first.Processes[0] with { Argv = [] }, again.Processes[0] with { Argv = [] });
    }

    [Fact]
    public async Task Version_2_writes_utc_microsecond_times_and_leaves_out_what_does_not_exist()
    {
        using var json = JsonDocument.Parse(await SessionSamples.ExportAsync());
        var root = json.RootElement;
        var events = root.GetProperty("events").EnumerateArray().ToArray();

        Assert.Equal(2, root.GetProperty("version").GetInt32());
        Assert.Equal("2026-11-24T12:00:00.000000Z", root.GetProperty("session").GetProperty("start").GetString());
        Assert.Equal("2026-11-24T12:00:00.050000Z", events[1].GetProperty("time").GetString());
        Assert.Equal("2026-11-24T12:00:03.000000Z", root.GetProperty("processes")[0].GetProperty("lastSeen").GetString());
        Assert.Equal("2026-11-24T12:00:02.000000Z", root.GetProperty("gaps")[1].GetProperty("time").GetString());

        var init = events.Single(e => e.GetProperty("pid").GetInt32() == 1);
        Assert.False(init.TryGetProperty("parent", out _));
        Assert.False(events[0].TryGetProperty("argvTruncated", out _));
        Assert.False(events[0].TryGetProperty("argvBytes", out _));
        Assert.All(events, e => Assert.All(e.EnumerateObject(), p => Assert.NotEqual(JsonValueKind.Null, p.Value.ValueKind)));

        var xargs = events.Single(e => e.GetProperty("exe").GetString() == "/usr/bin/xargs");
        Assert.True(xargs.GetProperty("argvTruncated").GetBoolean());
        Assert.Equal("inferred", xargs.GetProperty("ancestry")[0].GetProperty("provenance").GetString());
        Assert.Equal("b00tc0de/8000/80000", xargs.GetProperty("parent").GetString());
    }
}
