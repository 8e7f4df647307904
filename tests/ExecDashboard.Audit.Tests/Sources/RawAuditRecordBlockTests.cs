using System.Text;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Audit.Tests.Sources;

public sealed class RawAuditRecordBlockTests
{
    [Fact]
    public void Log_lines_are_records_without_newline_or_carriage_return_and_empty_lines_are_none()
    {
        var block = RawAuditRecordBlock.OfLogLines("type=A msg=1\ntype=B msg=2\r\n\n\r\ntype=C msg=3\n"u8.ToArray());

        Assert.Equal(["type=A msg=1", "type=B msg=2", "type=C msg=3"], Texts(block));
        Assert.Equal(3, block.CountRecords());
    }

    [Fact]
    public void The_last_line_of_a_block_needs_no_newline()
    {
        var block = RawAuditRecordBlock.OfLogLines("type=A\ntype=B unterminated\r"u8.ToArray());

        Assert.Equal(["type=A", "type=B unterminated"], Texts(block));
    }

    [Fact]
    public void A_block_of_blank_lines_holds_no_record()
    {
        Assert.Equal(0, RawAuditRecordBlock.OfLogLines("\n\r\n\n"u8.ToArray()).CountRecords());
        Assert.Equal(0, RawAuditRecordBlock.OfLogLines(ReadOnlyMemory<byte>.Empty).CountRecords());
        Assert.Equal(0, default(RawAuditRecordBlock).CountRecords());
    }

    [Fact]
    public void Lines_are_slices_of_the_block_with_their_exact_bytes()
    {
        var bytes = "type=A ??\ntype=B\n"u8.ToArray();
        bytes[7] = 0xff; // not UTF-8: bytes must pass untouched
        bytes[8] = 0xfe;

        var records = new List<RawAuditRecord>();
        foreach (var record in RawAuditRecordBlock.OfLogLines(bytes))
        {
            records.Add(record);
        }

        Assert.Equal(2, records.Count);
        Assert.True(records[0].Data.Span.SequenceEqual(bytes.AsSpan(0, 9)));
        Assert.Equal(0, records[0].NetlinkType);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(records[1].Data, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void A_kernel_record_is_one_record_whatever_bytes_it_holds()
    {
        var payload = "audit(1700000000.123:42): a0=\"x\ny\"\n"u8.ToArray();

        var records = new List<RawAuditRecord>();
        foreach (var record in RawAuditRecordBlock.Of(new RawAuditRecord(1309, payload)))
        {
            records.Add(record);
        }

        var only = Assert.Single(records);
        Assert.Equal(1309, only.NetlinkType);
        Assert.True(only.Data.Span.SequenceEqual(payload));
    }

    [Fact]
    public void A_log_line_record_is_a_block_of_that_line()
    {
        Assert.Equal(["type=A msg=1"], Texts(RawAuditRecordBlock.Of(new RawAuditRecord(0, "type=A msg=1"u8.ToArray()))));
    }

    private static List<string> Texts(RawAuditRecordBlock block)
    {
        var texts = new List<string>();
        foreach (var record in block)
        {
            texts.Add(Encoding.UTF8.GetString(record.Data.Span));
        }

        return texts;
    }
}
