namespace ExecDashboard.Audit.Parsing;

/// <summary>Number parsing over ASCII bytes without allocation or exceptions.</summary>
internal static class AuditNumbers
{
    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out ushort value)
    {
        value = 0;
        if (!TryParseDecimal(digits, out ulong wide) || wide > ushort.MaxValue)
        {
            return false;
        }

        value = (ushort)wide;
        return true;
    }

    public static bool TryParseDecimal(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 19)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var d = (uint)(b - '0');
            if (d > 9)
            {
                return false;
            }

            value = (value * 10) + d;
        }

        return true;
    }

    /// <summary>Decimal with an optional leading minus, as the kernel prints <c>exit=</c>.</summary>
    public static bool TryParseSigned(ReadOnlySpan<byte> digits, out long value)
    {
        value = 0;
        var negative = !digits.IsEmpty && digits[0] == (byte)'-';
        if (!TryParseDecimal(negative ? digits[1..] : digits, out ulong magnitude) || magnitude > long.MaxValue)
        {
            return false;
        }

        value = negative ? -(long)magnitude : (long)magnitude;
        return true;
    }

    public static bool TryParseHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.IsEmpty || digits.Length > 16)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var d = HexValue(b);
            if (d < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)d;
        }

        return true;
    }

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    /// <summary>Decodes an even-length hex string into <paramref name="destination"/>.</summary>
    public static bool TryDecodeHex(ReadOnlySpan<byte> hex, Span<byte> destination, out int written)
    {
        written = 0;
        if ((hex.Length & 1) != 0 || destination.Length < hex.Length / 2)
        {
            return false;
        }

        for (var i = 0; i < hex.Length; i += 2)
        {
            var hi = HexValue(hex[i]);
            var lo = HexValue(hex[i + 1]);
            if ((hi | lo) < 0)
            {
                written = 0;
                return false;
            }

            destination[written++] = (byte)((hi << 4) | lo);
        }

        return true;
    }

    public static bool IsHex(ReadOnlySpan<byte> text)
    {
        if (text.IsEmpty || (text.Length & 1) != 0)
        {
            return false;
        }

        foreach (var b in text)
        {
            if (HexValue(b) < 0)
            {
                return false;
            }
        }

        return true;
    }
}
