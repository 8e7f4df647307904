using System.Text;
using System.Text.Json;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Processes;
using ExecDashboard.Domain.Validation;
using ExecDashboard.Web.Storage;

namespace ExecDashboard.Web.Tests.Store;

/// <summary>The pieces the export writes without the serializer are the serializer's text.</summary>
public sealed class ExportJsonTests
{
    public static TheoryData<long> Times => new()
    {
        0,
        1,
        999_999,
        1_000_000,
        1_764_590_400_123_456,
        (ExecLimits.LatestTime.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond,
        (DateTimeOffset.MaxValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond,
    };

    public static TheoryData<long> TimesBefore1970 => new()
    {
        -1,
        -1_000_000,
        -1_000_001,
        (DateTimeOffset.MinValue.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond,
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void An_events_time_is_written_as_the_contract_writes_it(long unixMicros)
    {
        var time = new IsoTimeJson(sinceEpoch: true);

        // Twice: the second time the date is the one formatted the time before.
        foreach (var _ in new[] { 1, 2 })
        {
            Assert.Equal(JsonSerializer.Serialize(new IsoTime(unixMicros), ContractJsonContext.Default.IsoTime), Encoding.UTF8.GetString(time.Quoted(unixMicros)));
        }
    }

    [Theory]
    [MemberData(nameof(TimesBefore1970))]
    public void An_events_time_before_1970_is_refused_as_the_contract_refuses_it(long unixMicros)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Serialize(new IsoTime(unixMicros), ContractJsonContext.Default.IsoTime));
        Assert.Throws<JsonException>(() => new IsoTimeJson(sinceEpoch: true).Quoted(unixMicros));
    }

    [Theory]
    [MemberData(nameof(Times))]
    [MemberData(nameof(TimesBefore1970))]
    public void A_processs_time_is_written_as_the_contract_writes_it(long unixMicros)
    {
        var time = new IsoTimeJson(sinceEpoch: false);
        var value = DateTimeOffset.UnixEpoch.AddTicks(unixMicros * TimeSpan.TicksPerMicrosecond);
        var expected = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected))
        {
            new UtcTimeJsonConverter().Write(writer, value, JsonSerializerOptions.Default);
        }

        foreach (var _ in new[] { 1, 2 })
        {
            Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(time.Quoted(unixMicros)));
        }
    }

    [Fact]
    public void A_time_beyond_what_a_date_holds_is_refused()
    {
        Assert.Throws<JsonException>(() => new IsoTimeJson(sinceEpoch: false).Quoted(long.MaxValue));
        Assert.Throws<JsonException>(() => new IsoTimeJson(sinceEpoch: false).Quoted(long.MinValue));
    }

    [Theory]
    [InlineData(Provenance.ExecSeen)]
    [InlineData(Provenance.ProcSnapshot)]
    [InlineData(Provenance.Inferred)]
    public void A_provenance_is_named_as_the_serializer_names_it_in_an_ancestry_and_a_process(Provenance provenance)
    {
        var ancestor = new AncestorMessage { Key = "b/1/2", Pid = 1, Exe = string.Empty, Argv = [], Provenance = provenance };
        var process = new SessionJson.ProcessDto
        {
            Key = "b/1/2",
            Pid = 1,
            Ppid = 0,
            Exe = string.Empty,
            Argv = [],
            Provenance = provenance,
            FirstSeen = DateTimeOffset.UnixEpoch,
            LastSeen = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal(Named(JsonSerializer.SerializeToUtf8Bytes([ancestor], ContractJsonContext.Default.IReadOnlyListAncestorMessage), array: true), Encoding.UTF8.GetString(ProvenanceJson.Of((long)provenance)));
        Assert.Equal(Named(JsonSerializer.SerializeToUtf8Bytes(process, ContractJsonContext.Default.ProcessDto), array: false), Encoding.UTF8.GetString(ProvenanceJson.Named((long)provenance)));
    }

    [Fact]
    public void A_provenance_that_names_no_value_is_a_number_in_an_ancestry_and_refused_for_a_process()
    {
        Assert.Equal("7", Encoding.UTF8.GetString(ProvenanceJson.Of(7)));
        Assert.Throws<JsonException>(() => ProvenanceJson.Named(7));
    }

    private static string Named(byte[] json, bool array)
    {
        using var document = JsonDocument.Parse(json);
        var element = array ? document.RootElement[0] : document.RootElement;
        return element.GetProperty("provenance").GetRawText();
    }
}
