using System.Globalization;
using System.Text.Json;

namespace ExecDashboard.Web.Storage;

/// <summary>
/// Unix microseconds as the contract writes a time (<c>"yyyy-MM-ddTHH:mm:ss.ffffffZ"</c>, quotes
/// included). Date and time of day are formatted once per second, the microseconds every time:
/// formatting the whole time through <see cref="DateTime.TryFormat(Span{byte}, out int, ReadOnlySpan{char}, IFormatProvider?)"/>
/// was a tenth of the dashboard's CPU for a 300,000-exec export. One per column: consecutive rows
/// mostly share the second.
/// </summary>
internal sealed class IsoTimeJson
{
    private const int PrefixLength = 21; // "yyyy-MM-ddTHH:mm:ss.
    private static readonly long MinSecond = (DateTime.MinValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
    private static readonly long MaxSecond = (DateTime.MaxValue.Ticks - DateTime.UnixEpoch.Ticks) / TimeSpan.TicksPerSecond;
    private readonly byte[] _text = new byte[PrefixLength + 8]; // ffffffZ"
    private readonly bool _sinceEpoch;
    private long _second = long.MinValue;

    /// <param name="sinceEpoch">
    /// Refuse a time before 1970, as the contract's <see cref="Contracts.Json.IsoTime"/> (an event's
    /// time) does; other times (a process's first and last sight) go back to year 1.
    /// </param>
    public IsoTimeJson(bool sinceEpoch) => _sinceEpoch = sinceEpoch;

    /// <summary>The time as a JSON string, valid until the next call.</summary>
    public ReadOnlySpan<byte> Quoted(long unixMicros)
    {
        if (_sinceEpoch && unixMicros < 0)
        {
            throw new JsonException($"{unixMicros} µs since 1970 is not a time this format can write.");
        }

        var second = Math.DivRem(unixMicros, 1_000_000, out var micros);
        if (micros < 0)
        {
            second--;
            micros += 1_000_000;
        }

        if (second != _second)
        {
            FormatSecond(second);
        }

        var digits = _text.AsSpan(PrefixLength, 6);
        for (var i = 5; i >= 0; i--)
        {
            digits[i] = (byte)('0' + (micros % 10));
            micros /= 10;
        }

        return _text;
    }

    private void FormatSecond(long second)
    {
        _second = long.MinValue;
        if (second < MinSecond || second > MaxSecond
            || !new DateTime(DateTime.UnixEpoch.Ticks + (second * TimeSpan.TicksPerSecond), DateTimeKind.Utc).TryFormat(_text.AsSpan(1), out var written, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'", CultureInfo.InvariantCulture)
            || written != PrefixLength - 1)
        {
            throw new JsonException($"The time {second} s since 1970 cannot be written.");
        }

        _text[0] = (byte)'"';
        _text[PrefixLength + 6] = (byte)'Z';
        _text[PrefixLength + 7] = (byte)'"';
        _second = second;
    }
}
