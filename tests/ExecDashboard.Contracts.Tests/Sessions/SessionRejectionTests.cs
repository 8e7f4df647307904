using System.Text;
using ExecDashboard.Contracts.Sessions;
using ExecDashboard.Domain.Sessions;

namespace ExecDashboard.Contracts.Tests.Sessions;

public sealed class SessionRejectionTests
{
    private static async Task<string> ExportTextAsync() => Encoding.UTF8.GetString(await SessionSamples.ExportAsync());

    private static Task<SessionFormatException> RejectAsync(string text, SessionReadLimits? limits = null) =>
        RejectAsync(Encoding.UTF8.GetBytes(text), limits);

    private static async Task<SessionFormatException> RejectAsync(byte[] bytes, SessionReadLimits? limits = null) =>
        await Assert.ThrowsAsync<SessionFormatException>(() => new SessionReader(limits).ReadAllAsync(new TrickleStream(bytes, 3)));

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_another_format()
    {
        var error = await RejectAsync(Replace(await ExportTextAsync(), "execdashboard-session", "otel-traces"));
        Assert.Contains("not an ExecDashboard session", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_document_that_does_not_start_with_format()
    {
        var error = await RejectAsync("{\"events\":[]}");
        Assert.Contains("must start with 'format'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_unknown_version()
    {
        var error = await RejectAsync(Replace(await ExportTextAsync(), "\"version\":2", "\"version\":3"));
        Assert.Contains("version is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_malformed_json_with_where_it_broke()
    {
        var text = await ExportTextAsync();
        var at = text.IndexOf("\"serial\"", StringComparison.Ordinal);
        var error = await RejectAsync(text.Insert(at, "@"));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
        Assert.InRange(error.ByteOffset, at - 200, at + 1);
    }

    [Fact]
    public async Task Rejects_a_truncated_document()
    {
        var bytes = await SessionSamples.ExportAsync();
        var error = await RejectAsync(bytes[..(bytes.Length / 2)]);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_event_missing_a_required_field_naming_the_event()
    {
        var error = await RejectAsync(Replace(await ExportTextAsync(), "\"exe\":\"/usr/bin/touch\",", string.Empty));

        Assert.Equal("events", error.Section);
        Assert.Equal(7, error.Index);
        Assert.Contains("exe", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_null_where_a_string_belongs()
    {
        var error = await RejectAsync(Replace(await ExportTextAsync(), "\"cwd\":\"/var/spool/mqueue\"", "\"cwd\":null"));
        Assert.Equal(0, error.Index);
    }

    [Theory]
    [InlineData("\"argv\":[\"/bin/bash\",", "\"argv\":[null,")]
    [InlineData("\"ancestry\":[{", "\"ancestry\":[null,{")]
    public async Task Rejects_null_list_entries(string from, string to)
    {
        var text = await ExportTextAsync();
        var at = text.IndexOf(from, StringComparison.Ordinal);
        Assert.True(at >= 0);
        var error = await RejectAsync(string.Concat(text.AsSpan(0, at), to, text.AsSpan(at + from.Length)));

        Assert.Equal("events", error.Section);
        Assert.Contains("null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_malformed_process_key()
    {
        var error = await RejectAsync(Replace(await ExportTextAsync(), "\"process\":\"b00tc0de/20000/10000\"", "\"process\":\"20000\""));
        Assert.Contains("process key", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, error.Index);
    }

    [Fact]
    public async Task Rejects_argument_bytes_that_do_not_match_the_arguments()
    {
        var text = await ExportTextAsync();
        var error = await RejectAsync(Replace(text, "\"argvBytes\":[\"dG91Y2g=\",", "\"argvBytes\":["));
        Assert.Contains("argvBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_more_events_than_the_limit()
    {
        var error = await RejectAsync(await ExportTextAsync(), new SessionReadLimits { MaxEvents = 3 });
        Assert.Equal("events", error.Section);
        Assert.Equal(3, error.Index);
    }

    [Fact]
    public async Task Rejects_an_argument_larger_than_the_limit()
    {
        var error = await RejectAsync(await ExportTextAsync(), new SessionReadLimits { MaxArgumentBytes = 10 });
        Assert.Contains("argument 1 is larger than the limit of 10 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_document_larger_than_the_total_limit()
    {
        var error = await RejectAsync(await ExportTextAsync(), new SessionReadLimits { MaxTotalBytes = 1000 });
        Assert.Contains("larger than the limit of 1000 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_element_larger_than_the_buffer_limit()
    {
        var huge = new string('x', 200_000);
        var error = await RejectAsync(Replace(await ExportTextAsync(), "\"cwd\":\"/var/spool/mqueue\"", $"\"cwd\":\"{huge}\""), new SessionReadLimits { MaxElementBytes = 128 * 1024 });
        Assert.Contains("larger than the limit of 131072 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_events_before_the_session_header()
    {
        var error = await RejectAsync("{\"format\":\"execdashboard-session\",\"version\":1,\"events\":[]}");
        Assert.Contains("must come before 'events'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_a_document_without_events()
    {
        var text = await ExportTextAsync();
        var start = text.IndexOf(",\"events\":", StringComparison.Ordinal);
        var end = text.IndexOf(",\"processes\":", StringComparison.Ordinal);
        var error = await RejectAsync(text.Remove(start, end - start));
        Assert.Contains("no 'events'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_trailing_data_after_the_document()
    {
        var error = await RejectAsync(await ExportTextAsync() + "{}");
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rejects_an_unknown_provenance()
    {
        var text = await ExportTextAsync();
        var processes = text.IndexOf("\"processes\":", StringComparison.Ordinal);
        var error = await RejectAsync(text[..processes] + Replace(text[processes..], "\"provenance\":\"procSnapshot\"", "\"provenance\":\"guessed\""));
        Assert.Equal("processes", error.Section);
    }

    [Fact]
    public async Task A_caller_that_commits_at_the_end_applies_nothing_of_a_rejected_document()
    {
        var text = Replace(await ExportTextAsync(), "\"kind\":\"kernelLost\"", "\"kind\":7");
        var committed = new List<SessionItem>();
        var staged = new List<SessionItem>();

        await Assert.ThrowsAsync<SessionFormatException>(async () =>
        {
            await foreach (var item in new SessionReader().ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text))))
            {
                staged.Add(item);
            }

            committed.AddRange(staged);
        });

        Assert.NotEmpty(staged);
        Assert.Empty(committed);
    }
}
