using System.Text;
using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Tests.Parsing;

/// <summary>
/// The parser's fields against a tokenizer written the plain way, byte by byte: the parser searches
/// 64 bytes at a time, so tokens that cross a block, end a body or fill it must come out the same.
/// </summary>
public sealed class TokenizerReferenceTests
{
    private const string Header = "type=SYSCALL msg=audit(1700000000.123:42): ";

    [Theory]
    [InlineData("a=1 b=\"two words\" c='x y' d=(null) e=(none) f=")]
    [InlineData("msg='op=login acct=\"root\" res=success' x=1")]
    [InlineData("prose without keys then k=v =novalue trailing")]
    [InlineData("a=1\u001dA=\"one\" B=2")]
    [InlineData("a=\"unterminated")]
    [InlineData("a='unterminated \"other\" quote")]
    [InlineData("a=\"\" b='' c=\"=\" d==e f=g=h")]
    public void Fields_match_a_byte_by_byte_tokenizer(string body)
    {
        AssertSameAsReference(Encoding.UTF8.GetBytes(body));
    }

    [Fact]
    public void Tokens_crossing_64_byte_blocks_match_a_byte_by_byte_tokenizer()
    {
        // Every alignment of a key, an unquoted value, a quoted value and a separator against the
        // block boundaries, in bodies a few blocks long.
        for (var pad = 0; pad < 140; pad++)
        {
            var body = new string('p', pad) + " key=value q=\"a quoted = value\" s='single' x=(null)\u001dE=\"e\" tail=" + new string('v', pad % 70);
            AssertSameAsReference(Encoding.UTF8.GetBytes(body));
        }
    }

    [Fact]
    public void More_fields_than_the_stack_holds_are_all_kept()
    {
        foreach (var fields in new[] { 63, 64, 65, 200 })
        {
            var body = string.Join(' ', Enumerable.Range(0, fields).Select(i => $"a{i}=\"arg {i}\""));
            AssertSameAsReference(Encoding.UTF8.GetBytes(body));
            var record = Records.Parse(Header + body);
            Assert.Equal(fields, record.RawFields.Length);
            Assert.Equal($"arg {fields - 1}", record.GetUntrustedString(Encoding.ASCII.GetBytes($"a{fields - 1}")));
        }
    }

    [Fact]
    public void Random_bodies_match_a_byte_by_byte_tokenizer()
    {
        var random = new Random(20261202);
        var alphabet = "ab=  \"'\u001d(null)(none)x1"u8.ToArray();
        for (var i = 0; i < 20000; i++)
        {
            var body = new byte[random.Next(0, 300)];
            for (var j = 0; j < body.Length; j++)
            {
                body[j] = alphabet[random.Next(alphabet.Length)];
            }

            AssertSameAsReference(body);
        }
    }

    private static void AssertSameAsReference(byte[] body)
    {
        var line = Encoding.UTF8.GetBytes(Header).Concat(body).ToArray();
        var result = new AuditRecordParser().Parse(0, line);
        var expected = Reference(body.AsSpan().TrimStart((byte)' ').TrimEnd((byte)' '), out var expectedRaw, out var expectedError);
        if (expectedError != AuditParseError.None)
        {
            Assert.Equal(expectedError, result.Error);
            return;
        }

        Assert.True(result.Succeeded, result.Reason);
        var record = result.Record!;
        var actual = new List<(string, string, AuditValueKind)>();
        foreach (var field in record.RawFields)
        {
            actual.Add((Encoding.Latin1.GetString(record.KeyOf(field)), Encoding.Latin1.GetString(record.ValueOf(field)), field.Kind));
        }

        foreach (var field in record.EnrichedFields)
        {
            actual.Add((Encoding.Latin1.GetString(record.KeyOf(field)), Encoding.Latin1.GetString(record.ValueOf(field)), field.Kind));
        }

        Assert.Equal(expected, actual);
        Assert.Equal(expectedRaw, record.RawFieldCount);
    }

    /// <summary>The tokenizer's rules, one byte at a time.</summary>
    private static List<(string, string, AuditValueKind)> Reference(ReadOnlySpan<byte> body, out int rawCount, out AuditParseError error)
    {
        var fields = new List<(string, string, AuditValueKind)>();
        rawCount = -1;
        error = AuditParseError.None;
        var i = 0;
        while (i < body.Length)
        {
            if (body[i] == (byte)' ')
            {
                i++;
                continue;
            }

            if (body[i] == 0x1d)
            {
                rawCount = rawCount < 0 ? fields.Count : rawCount;
                i++;
                continue;
            }

            var keyStart = i;
            while (i < body.Length && body[i] is not ((byte)'=' or (byte)' ' or 0x1d))
            {
                i++;
            }

            if (i >= body.Length || body[i] != (byte)'=')
            {
                continue;
            }

            var key = body[keyStart..i];
            i++;
            ReadOnlySpan<byte> value;
            var kind = AuditValueKind.Unquoted;
            if (i < body.Length && body[i] is (byte)'"' or (byte)'\'')
            {
                var quote = body[i];
                kind = quote == (byte)'"' ? AuditValueKind.Quoted : AuditValueKind.SingleQuoted;
                var start = ++i;
                while (i < body.Length && body[i] != quote)
                {
                    i++;
                }

                if (i >= body.Length)
                {
                    error = AuditParseError.UnterminatedQuote;
                    return fields;
                }

                value = body[start..i];
                i++;
            }
            else
            {
                var start = i;
                while (i < body.Length && body[i] is not ((byte)' ' or 0x1d))
                {
                    i++;
                }

                value = body[start..i];
                kind = value.SequenceEqual("(null)"u8) ? AuditValueKind.Null
                    : value.SequenceEqual("(none)"u8) ? AuditValueKind.None
                    : AuditValueKind.Unquoted;
            }

            if (!key.IsEmpty)
            {
                fields.Add((Encoding.Latin1.GetString(key), Encoding.Latin1.GetString(value), kind));
            }
        }

        rawCount = rawCount < 0 ? fields.Count : rawCount;
        return fields;
    }
}
