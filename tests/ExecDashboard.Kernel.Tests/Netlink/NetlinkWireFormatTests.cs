using System.Text;
using ExecDashboard.Sources.Netlink;

namespace ExecDashboard.Kernel.Tests.Netlink;

public sealed class NetlinkWireFormatTests
{
    [Fact]
    public void Splits_a_datagram_holding_several_aligned_messages()
    {
        var datagram = new byte[64];
        var first = NetlinkProtocol.WriteRequest(datagram, 1300, 0, 7, "abcde"u8); // 21 bytes, padded to 24
        NetlinkProtocol.WriteRequest(datagram.AsSpan(NetlinkProtocol.Align(first)), 1320, 0, 8, "xy"u8);
        var reader = new NetlinkMessageReader(datagram.AsSpan(0, NetlinkProtocol.Align(first) + 18));

        Assert.True(reader.TryRead(out var one));
        Assert.Equal((1300, 7u, "abcde"), (one.Type, one.Sequence, Encoding.ASCII.GetString(one.Payload)));
        Assert.True(reader.TryRead(out var two));
        Assert.Equal((1320, 8u, "xy"), (two.Type, two.Sequence, Encoding.ASCII.GetString(two.Payload)));
        Assert.False(reader.TryRead(out _));
        Assert.False(reader.Malformed);
    }

    [Fact]
    public void Reads_a_unicast_record_whose_length_leaves_out_the_header()
    {
        var datagram = new byte[NetlinkProtocol.HeaderSize + 18];
        NetlinkProtocol.WriteRequest(datagram, 1309, 0, 0, "audit(1.002:3): ab"u8);
        datagram[0] -= NetlinkProtocol.HeaderSize; // as kernel/audit.c sends it to the daemon

        var unicast = new NetlinkMessageReader(datagram, unicastAuditRecords: true);
        Assert.True(unicast.TryRead(out var record));
        Assert.Equal("audit(1.002:3): ab", Encoding.ASCII.GetString(record.Payload));
        Assert.False(unicast.TryRead(out _));
        Assert.False(unicast.Malformed);

        var multicast = new NetlinkMessageReader(datagram);
        Assert.True(multicast.TryRead(out var cut));
        Assert.Equal(2, cut.Payload.Length);
    }

    [Fact]
    public void Stops_at_a_message_whose_length_runs_past_the_datagram()
    {
        var datagram = new byte[32];
        NetlinkProtocol.WriteRequest(datagram, 1300, 0, 1, "abcd"u8);
        datagram[0] = 200;
        var reader = new NetlinkMessageReader(datagram);

        Assert.False(reader.TryRead(out _));
        Assert.True(reader.Malformed);
    }

    [Fact]
    public void Encodes_an_exec_rule_as_audit_rule_data_and_reads_it_back()
    {
        var rule = AuditRule.AlwaysOnExit(0xC000003E, [59, 322], "execdash");

        Assert.Equal(4u, rule.FilterList);
        Assert.Equal(0x14u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(rule.Data)); // AUDIT_FILTER_EXIT | AUDIT_FILTER_PREPEND
        Assert.Equal(0x04u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(rule.DataForDeletion));
        Assert.Equal(2u, rule.Action);
        Assert.Equal(0xC000003Eu, rule.Arch);
        Assert.Equal([59, 322], rule.Syscalls);
        Assert.Equal("execdash", rule.Key);
        Assert.Equal(2, rule.FieldCount);
        Assert.Equal(1040 + 8, rule.Data.Length); // struct audit_rule_data is 1040 bytes before its string buffer
    }

    [Fact]
    public void Trims_trailing_nul_and_newline_from_a_record_payload()
    {
        var record = AuditRecordReceiver.Copy(1320, "audit(1.002:3): \n\0\0"u8);

        Assert.Equal("audit(1.002:3): ", Encoding.ASCII.GetString(record.Data.Span));
        Assert.Equal(1320, record.NetlinkType);
    }

    [Fact]
    public void Reads_a_short_status_from_an_older_kernel_with_missing_fields_as_zero()
    {
        var payload = new byte[32];
        payload[4] = 1;
        payload[12] = 42;
        payload[20] = 0x20;

        var status = AuditStatus.Parse(payload);

        Assert.Equal((1u, 42u, 0x20u, 0u), (status.Enabled, status.Pid, status.BacklogLimit, status.BacklogWaitTime));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    public void Rejects_a_rule_key_auditctl_could_not_name(string key)
    {
        var options = new NetlinkAuditSourceOptions { RuleKey = key };

        Assert.Throws<ArgumentException>(options.Validate);
    }
}
