using System.Text;
using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Tests.Parsing;

public sealed class AuditRecordParserTests
{
    [Fact]
    public void Parses_log_line_header_and_fields()
    {
        var record = Records.Parse(Records.Syscall(42, time: "1700000000.007"));

        Assert.Equal(AuditRecordTypes.Syscall, record.Type);
        Assert.Null(record.Node);
        Assert.Equal(42u, record.Serial);
        Assert.Equal(new AuditTimestamp(1700000000, 7), record.Time);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1700000000007), record.Time.ToDateTimeOffset());
        Assert.True(record.TryGetDecimal("pid"u8, out var pid));
        Assert.Equal(200ul, pid);
        Assert.Equal("expr", record.GetUntrustedString("comm"u8));
        Assert.Equal("arch", Encoding.ASCII.GetString(record.KeyOf(record.RawFields[0])));
    }

    [Fact]
    public void Parses_netlink_payload_with_type_from_the_header()
    {
        var result = new AuditRecordParser().Parse(Records.Netlink(1309, "audit(1700000000.123:77): argc=1 a0=\"ls\"\0"));

        Assert.True(result.Succeeded, result.Reason);
        Assert.Equal(AuditRecordTypes.Execve, result.Record!.Type);
        Assert.Equal(77u, result.Record.Serial);
        Assert.Equal("ls", result.Record.GetUntrustedString("a0"u8));
    }

    [Fact]
    public void Strips_node_prefix_into_node()
    {
        var record = Records.Parse(Records.Of("CWD", 5, "cwd=\"/tmp\"", node: "web-01"));

        Assert.Equal("web-01", record.Node);
        Assert.Equal(AuditRecordTypes.Cwd, record.Type);
        Assert.Equal("/tmp", record.GetUntrustedString("cwd"u8));
    }

    [Fact]
    public void Keeps_enriched_fields_apart_from_raw_fields()
    {
        var line = Records.Syscall(9) + "\u001dARCH=x86_64 SYSCALL=execve AUID=\"user\" UID=\"root\"";

        var record = Records.Parse(line);

        Assert.True(record.TryGetHex("arch"u8, out var arch));
        Assert.Equal(0xc000003eul, arch);
        Assert.False(record.TryGetField("ARCH"u8, out _));
        Assert.Equal(4, record.EnrichedFields.Length);
        Assert.Equal("SYSCALL", Encoding.ASCII.GetString(record.KeyOf(record.EnrichedFields[1])));
        Assert.Equal("root", Encoding.ASCII.GetString(record.ValueOf(record.EnrichedFields[3])));
        Assert.True(record.TryGetField("key"u8, out var key));
        Assert.Equal(AuditValueKind.Null, key.Kind);
    }

    [Fact]
    public void Decodes_quoted_and_hex_untrusted_values()
    {
        var record = Records.Parse(Records.Of("PATH", 3, $"item=0 name={Records.Hex("/tmp/a b")} nametype=NORMAL other=\"x y\""));

        Assert.Equal("/tmp/a b", record.GetUntrustedString("name"u8));
        Assert.Equal("x y", record.GetUntrustedString("other"u8));
        Assert.Equal("NORMAL", record.GetUntrustedString("nametype"u8));
        Assert.Equal(AuditValueKind.Quoted, record.RawFields[3].Kind);
    }

    [Fact]
    public void Reads_null_and_none_markers_as_no_value()
    {
        var record = Records.Parse(Records.Syscall(1));

        Assert.True(record.TryGetField("tty"u8, out _));
        Assert.Null(record.GetUntrustedString("key"u8));
        Assert.Empty(record.GetKeys());
        Assert.True(Records.Parse(Records.Of("SYSCALL", 1, "tty=(none)")).TryGetField("tty"u8, out var tty));
        Assert.Equal(AuditValueKind.None, tty.Kind);
    }

    [Fact]
    public void Splits_rule_keys_joined_by_0x01()
    {
        var joined = Convert.ToHexString(Encoding.ASCII.GetBytes("exec\u0001storm"));
        var record = Records.Parse(Records.Of("SYSCALL", 1, $"arch=c000003e key={joined}"));

        Assert.Equal(["exec", "storm"], record.GetKeys());
        Assert.Equal(["filter-this"], Records.Parse(Records.Of("SYSCALL", 1, "key=\"filter-this\"")).GetKeys());
    }

    [Theory]
    [InlineData("SYSCALL", 1300)]
    [InlineData("PATH", 1302)]
    [InlineData("CONFIG_CHANGE", 1305)]
    [InlineData("SOCKADDR", 1306)]
    [InlineData("CWD", 1307)]
    [InlineData("EXECVE", 1309)]
    [InlineData("EOE", 1320)]
    [InlineData("BPRM_FCAPS", 1321)]
    [InlineData("PROCTITLE", 1327)]
    [InlineData("USER_START", 1105)]
    [InlineData("USER_CMD", 1123)]
    [InlineData("CRYPTO_KEY_USER", 2404)]
    public void Maps_type_names_to_numbers_and_back(string name, int number)
    {
        Assert.True(AuditRecordTypes.TryParse(Encoding.ASCII.GetBytes(name), out var type));
        Assert.Equal(number, type);
        Assert.Equal(name, AuditRecordTypes.NameOf((ushort)number));
    }

    [Fact]
    public void Reads_and_writes_unknown_types_as_UNKNOWN_n()
    {
        var record = Records.Parse(Records.Of("UNKNOWN[1234]", 8, "foo=bar"));

        Assert.Equal(1234, record.Type);
        Assert.Equal("UNKNOWN[1234]", record.TypeName);
    }

    [Fact]
    public void Keeps_a_record_whose_well_formed_type_name_is_not_known()
    {
        var record = Records.Parse(Records.Of("SOME_FUTURE_TYPE", 8, "foo=bar"));

        Assert.Equal(AuditRecordTypes.UnknownName, record.Type);
        Assert.Equal("bar", record.GetUntrustedString("foo"u8));
    }

    [Fact]
    public void Accepts_daemon_header_without_colon_and_skips_prose_words()
    {
        var record = Records.Parse("type=DAEMON_START msg=audit(1481076983.819:7798): auditd start, ver=2.4.1 format=raw");
        var config = Records.Parse("type=DAEMON_CONFIG msg=audit(1490239800.477:34) config changed, auid=0 pid=1512 res=success");

        Assert.Equal("2.4.1", record.GetUntrustedString("ver"u8));
        Assert.Equal(2, record.RawFields.Length);
        Assert.Equal("success", config.GetUntrustedString("res"u8));
    }

    [Fact]
    public void Keeps_single_quoted_user_message_as_one_value()
    {
        var record = Records.Parse("type=USER_CMD msg=audit(1481077231.363:475): pid=1382 uid=1000 msg='cwd=\"/home/a\" cmd=6C73 res=success'");

        Assert.Equal(3, record.RawFields.Length);
        Assert.Equal("cwd=\"/home/a\" cmd=6C73 res=success", record.GetUntrustedString("msg"u8));
    }

    [Fact]
    public void Reads_serial_at_the_top_of_the_32_bit_range()
    {
        Assert.Equal(uint.MaxValue, Records.Parse(Records.Of("EOE", uint.MaxValue, "")).Serial);
    }

    [Theory]
    [InlineData("", AuditParseError.Empty)]
    [InlineData("   \r\n", AuditParseError.Empty)]
    [InlineData("hello world", AuditParseError.MissingType)]
    [InlineData("node=x", AuditParseError.MissingType)]
    [InlineData("type=UNKNOWN[1329] msg=?", AuditParseError.MissingHeader)]
    [InlineData("type=SYSCALL", AuditParseError.MissingHeader)]
    [InlineData("type=sys call msg=audit(1.000:1): a=b", AuditParseError.UnknownTypeName)]
    [InlineData("type=SYSCALL msg=audit(1700000000.123:42", AuditParseError.MissingHeader)]
    [InlineData("type=SYSCALL msg=audit(1700000000:42): a=b", AuditParseError.BadTimestamp)]
    [InlineData("type=SYSCALL msg=audit(17x.123:42): a=b", AuditParseError.BadTimestamp)]
    [InlineData("type=SYSCALL msg=audit(1700000000.123): a=b", AuditParseError.BadSerial)]
    [InlineData("type=SYSCALL msg=audit(1700000000.123:4294967296): a=b", AuditParseError.BadSerial)]
    [InlineData("type=SYSCALL msg=audit(1700000000.123:-1): a=b", AuditParseError.BadSerial)]
    [InlineData("type=SYSCALL msg=audit(1700000000.123:1): comm=\"trunc", AuditParseError.UnterminatedQuote)]
    public void Rejects_malformed_records_with_a_reason(string line, AuditParseError expected)
    {
        var result = new AuditRecordParser().Parse(Records.Line(line));

        Assert.False(result.Succeeded);
        Assert.Equal(expected, result.Error);
        Assert.False(string.IsNullOrWhiteSpace(result.Reason));
    }

    [Fact]
    public void Rejects_netlink_payload_without_header()
    {
        var result = new AuditRecordParser().Parse(Records.Netlink(1300, "arch=c000003e syscall=59"));

        Assert.Equal(AuditParseError.MissingHeader, result.Error);
    }
}
