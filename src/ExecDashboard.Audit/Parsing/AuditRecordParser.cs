using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using ExecDashboard.Audit.Sources;

namespace ExecDashboard.Audit.Parsing;

/// <summary>
/// Parses one audit record, either an auditd log line
/// (<c>[node=X ]type=NAME msg=audit(SEC.MS:SERIAL): fields</c>, RAW or ENRICHED format) or a
/// netlink payload (<c>audit(SEC.MS:SERIAL): fields</c>, type from the netlink header).
/// Never throws on input: every failure is an <see cref="AuditParseError"/>.
/// Not thread-safe (it caches the last node name and header); one parser per pipeline thread.
/// </summary>
public sealed class AuditRecordParser
{
    /// <summary>
    /// Longest record accepted. The kernel caps a record at MAX_AUDIT_MESSAGE_LENGTH (8970, kernel/audit.h);
    /// ENRICHED lines add interpreted fields, so allow generous room before calling it garbage.
    /// </summary>
    public const int MaxRecordLength = 64 * 1024;

    /// <summary>auditd's ENRICHED format puts this byte between kernel fields and interpreted ones.</summary>
    internal const byte EnrichmentSeparator = 0x1d;

    private const int StackFields = 64;

    /// <summary>Longest <c>seconds.millis:serial</c> remembered; a longer one (leading zeros) is read every time.</summary>
    private const int MaxStampLength = 35;

    private readonly Stack<AuditRecord>? _spare;
    private byte[] _lastNodeBytes = [];
    private string? _lastNode;

    // The last header read well: every record of an event repeats its event's seconds.millis:serial.
    private readonly byte[] _lastStamp = new byte[MaxStampLength];
    private int _lastStampLength = -1;
    private AuditTimestamp _lastTime;
    private uint _lastSerial;

    public AuditRecordParser()
    {
    }

    /// <summary>A parser that refills records from <paramref name="spare"/> (their owner put them back) before allocating new ones.</summary>
    internal AuditRecordParser(Stack<AuditRecord> spare) => _spare = spare;

    public AuditParseResult Parse(RawAuditRecord raw) => Parse(raw.NetlinkType, raw.Data.Span);

    public AuditParseResult Parse(ushort netlinkType, ReadOnlySpan<byte> data)
    {
        data = TrimEnd(data);
        if (data.IsEmpty)
        {
            return AuditParseResult.Fail(AuditParseError.Empty);
        }

        if (data.Length > MaxRecordLength)
        {
            return AuditParseResult.Fail(AuditParseError.TooLong);
        }

        string? node = null;
        var type = netlinkType;
        ReadOnlySpan<byte> rest;
        if (netlinkType != 0)
        {
            // Netlink payloads start directly with the header; the type travels in nlmsghdr.nlmsg_type.
            rest = data;
        }
        else
        {
            rest = data;
            if (rest.StartsWith("node="u8))
            {
                var end = rest.IndexOf((byte)' ');
                if (end < 0)
                {
                    return AuditParseResult.Fail(AuditParseError.MissingType);
                }

                node = InternNode(rest[5..end]);
                rest = rest[(end + 1)..].TrimStart((byte)' ');
            }

            if (!rest.StartsWith("type="u8))
            {
                return AuditParseResult.Fail(AuditParseError.MissingType);
            }

            var typeEnd = rest.IndexOf((byte)' ');
            var typeName = typeEnd < 0 ? rest[5..] : rest[5..typeEnd];
            if (!AuditRecordTypes.TryParse(typeName, out type))
            {
                return AuditParseResult.Fail(AuditParseError.UnknownTypeName);
            }

            if (typeEnd < 0)
            {
                return AuditParseResult.Fail(AuditParseError.MissingHeader);
            }

            rest = rest[(typeEnd + 1)..].TrimStart((byte)' ');
            if (!rest.StartsWith("msg="u8))
            {
                return AuditParseResult.Fail(AuditParseError.MissingHeader);
            }

            rest = rest[4..];
        }

        var headerError = ParseHeaderOrRepeat(rest, out var time, out var serial, out var bodyStart);
        if (headerError != AuditParseError.None)
        {
            return AuditParseResult.Fail(headerError);
        }

        var body = rest[bodyStart..];
        return ParseBody(type, node, time, serial, body, _spare);
    }

    /// <summary>
    /// As <see cref="ParseHeader"/>, but a stamp equal to the last one read well is not parsed again:
    /// the five or so records of an exec share it, and comparing it costs less than reading its
    /// three numbers. A stamp that failed is never remembered, so it fails again the same way.
    /// </summary>
    private AuditParseError ParseHeaderOrRepeat(
        ReadOnlySpan<byte> text,
        out AuditTimestamp time,
        out uint serial,
        out int bodyStart)
    {
        if (_lastStampLength >= 0 && text.StartsWith("audit("u8))
        {
            var rest = text[6..];
            var stamp = _lastStamp.AsSpan(0, _lastStampLength);
            if (rest.Length > stamp.Length && rest[stamp.Length] == (byte)')' && rest.StartsWith(stamp))
            {
                time = _lastTime;
                serial = _lastSerial;
                bodyStart = 6 + stamp.Length + 1;
                if (bodyStart < text.Length && text[bodyStart] == (byte)':')
                {
                    bodyStart++;
                }

                return AuditParseError.None;
            }
        }

        var error = ParseHeader(text, out time, out serial, out bodyStart);
        if (error == AuditParseError.None && text.IndexOf((byte)')') - 6 is var length and <= MaxStampLength)
        {
            text.Slice(6, length).CopyTo(_lastStamp);
            _lastStampLength = length;
            _lastTime = time;
            _lastSerial = serial;
        }

        return error;
    }

    /// <summary>Reads <c>audit(SEC.MS:SERIAL)</c> and an optional <c>:</c> (DAEMON_* records omit it).</summary>
    private static AuditParseError ParseHeader(
        ReadOnlySpan<byte> text,
        out AuditTimestamp time,
        out uint serial,
        out int bodyStart)
    {
        time = default;
        serial = 0;
        bodyStart = 0;
        if (!text.StartsWith("audit("u8))
        {
            return AuditParseError.MissingHeader;
        }

        var close = text.IndexOf((byte)')');
        if (close < 0)
        {
            return AuditParseError.MissingHeader;
        }

        var inner = text[6..close];
        var colon = inner.IndexOf((byte)':');
        var dot = inner.IndexOf((byte)'.');
        if (dot < 0 || (colon >= 0 && dot > colon))
        {
            return AuditParseError.BadTimestamp;
        }

        if (colon < 0)
        {
            return AuditParseError.BadSerial;
        }

        var millis = inner[(dot + 1)..colon];
        if (!AuditNumbers.TryParseDecimal(inner[..dot], out ulong seconds)
            || millis.Length is 0 or > 3
            || !AuditNumbers.TryParseDecimal(millis, out ulong ms))
        {
            return AuditParseError.BadTimestamp;
        }

        if (!AuditNumbers.TryParseDecimal(inner[(colon + 1)..], out ulong wideSerial) || wideSerial > uint.MaxValue)
        {
            return AuditParseError.BadSerial;
        }

        time = new AuditTimestamp(seconds, (ushort)ms);
        serial = (uint)wideSerial;
        bodyStart = close + 1;
        if (bodyStart < text.Length && text[bodyStart] == (byte)':')
        {
            bodyStart++;
        }

        return AuditParseError.None;
    }

    // The stack scratch is written before it is read; zeroing 1.3 KB per record buys nothing.
    [SkipLocalsInit]
    private static AuditParseResult ParseBody(
        ushort type,
        string? node,
        AuditTimestamp time,
        uint serial,
        ReadOnlySpan<byte> body,
        Stack<AuditRecord>? spare)
    {
        body = body.TrimStart((byte)' ');

        // Typical records have a few dozen fields: scratch on the stack, the pool only for huge
        // ones. Every field has an '=', so their count bounds the table; it is counted only when
        // the stack runs out (counting every record first was a pass over each body for nothing).
        AuditField[]? rented = null;
        Span<AuditField> scratch = stackalloc AuditField[StackFields];
        try
        {
            var error = Tokenize(body, scratch, out var count, out var rawCount);
            if (error == AuditParseError.None && count == scratch.Length && body.Count((byte)'=') is var bound && bound > scratch.Length)
            {
                scratch = rented = ArrayPool<AuditField>.Shared.Rent(bound);
                error = Tokenize(body, scratch, out count, out rawCount);
            }

            if (error != AuditParseError.None)
            {
                return AuditParseResult.Fail(error);
            }

            AuditRecord record;
            if (spare is not null && spare.TryPop(out var recycled))
            {
                recycled.Refill(type, node, time, serial, body, scratch[..count], rawCount);
                record = recycled;
            }
            else
            {
                record = new AuditRecord(type, node, time, serial, body, scratch[..count], rawCount);
            }

            return new AuditParseResult(record, AuditParseError.None);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<AuditField>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// Splits <c>key=value</c> pairs. Words without '=' (<c>auditd start,</c>, <c>tty pid=</c>) are
    /// prose, skipped. Everything after 0x1d is ENRICHED and counted separately. Fields beyond
    /// <paramref name="fields"/>' length are dropped; the caller gives room for every '='.
    /// The searches use <see cref="FieldDelimiters"/>; the per-byte work is only at token boundaries.
    /// </summary>
    private static AuditParseError Tokenize(
        ReadOnlySpan<byte> body,
        Span<AuditField> fields,
        out int count,
        out int rawCount)
    {
        count = 0;
        rawCount = -1;
        var delimiters = new FieldDelimiters(body);
        var i = 0;
        while (i < body.Length)
        {
            var b = body[i];
            if (b == (byte)' ')
            {
                i++;
                continue;
            }

            if (b == EnrichmentSeparator)
            {
                rawCount = rawCount < 0 ? count : rawCount;
                i++;
                continue;
            }

            var keyStart = i;
            i = delimiters.KeyEnd(i);
            if (i < 0)
            {
                break;
            }

            if (body[i] != (byte)'=')
            {
                continue;
            }

            var keyLength = i - keyStart;
            i++;
            var kind = AuditValueKind.Unquoted;
            int valueStart;
            int valueLength;
            if (i < body.Length && body[i] is (byte)'"' or (byte)'\'')
            {
                var quote = body[i];
                kind = quote == (byte)'"' ? AuditValueKind.Quoted : AuditValueKind.SingleQuoted;
                valueStart = i + 1;
                var close = delimiters.Quote(valueStart, quote);
                if (close < 0)
                {
                    return AuditParseError.UnterminatedQuote;
                }

                valueLength = close - valueStart;
                i = close + 1;
            }
            else
            {
                valueStart = i;
                var valueEnd = delimiters.ValueEnd(i);
                i = valueEnd < 0 ? body.Length : valueEnd;
                valueLength = i - valueStart;
                if (valueLength == 6 && body[valueStart] == (byte)'(')
                {
                    var value = body.Slice(valueStart, valueLength);
                    kind = value.SequenceEqual("(null)"u8) ? AuditValueKind.Null
                        : value.SequenceEqual("(none)"u8) ? AuditValueKind.None
                        : AuditValueKind.Unquoted;
                }
            }

            if (keyLength > 0 && count < fields.Length)
            {
                fields[count++] = new AuditField(keyStart, keyLength, valueStart, valueLength, kind);
            }
        }

        rawCount = rawCount < 0 ? count : rawCount;
        return AuditParseError.None;
    }

    private string InternNode(ReadOnlySpan<byte> name)
    {
        if (_lastNode is not null && name.SequenceEqual(_lastNodeBytes))
        {
            return _lastNode;
        }

        _lastNodeBytes = name.ToArray();
        _lastNode = Encoding.UTF8.GetString(name);
        return _lastNode;
    }

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> data)
    {
        // Netlink payloads may carry a trailing NUL; log lines may keep '\r' or '\n'.
        var end = data.Length;
        while (end > 0 && data[end - 1] is 0 or (byte)'\n' or (byte)'\r' or (byte)' ')
        {
            end--;
        }

        return data[..end];
    }
}
