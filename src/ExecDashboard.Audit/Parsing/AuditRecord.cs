using System.Text;

namespace ExecDashboard.Audit.Parsing;

/// <summary>
/// One parsed audit record. It owns a copy of its body bytes (sources reuse their buffers) and a
/// table of field positions inside it: two allocations per record, none per field; none at all
/// when the exec pipeline recycles the record (<see cref="Refill"/>) once its event is mapped.
/// Values are decoded on demand by the caller that knows what a field means.
/// </summary>
public sealed class AuditRecord
{
    private byte[] _body;
    private AuditField[] _fields;
    private int _bodyLength;
    private int _fieldCount;

    internal AuditRecord(
        ushort type,
        string? node,
        AuditTimestamp time,
        uint serial,
        ReadOnlySpan<byte> body,
        ReadOnlySpan<AuditField> fields,
        int rawFieldCount)
    {
        _body = GC.AllocateUninitializedArray<byte>(body.Length);
        _fields = fields.IsEmpty ? [] : new AuditField[fields.Length];
        Refill(type, node, time, serial, body, fields, rawFieldCount);
    }

    /// <summary>Record type number (include/uapi/linux/audit.h).</summary>
    public ushort Type { get; private set; }

    public string TypeName => AuditRecordTypes.NameOf(Type);

    /// <summary>The <c>node=</c> prefix auditd adds for remote or named hosts, or null.</summary>
    public string? Node { get; private set; }

    public AuditTimestamp Time { get; private set; }

    /// <summary>The kernel's event serial: 32-bit, wraps to 0 (kernel/audit.c audit_serial()).</summary>
    public uint Serial { get; private set; }

    /// <summary>The record's text after the <c>audit(...):</c> header.</summary>
    public ReadOnlySpan<byte> Body => _body.AsSpan(0, _bodyLength);

    /// <summary>Fields the kernel wrote, in order.</summary>
    public ReadOnlySpan<AuditField> RawFields => _fields.AsSpan(0, RawFieldCount);

    /// <summary>
    /// Fields auditd's ENRICHED format appended after the 0x1d separator (<c>UID="root"</c> and such).
    /// Kept apart: their names clash with raw ones (<c>SYSCALL=execve</c>, <c>ARCH=x86_64</c>).
    /// </summary>
    public ReadOnlySpan<AuditField> EnrichedFields => _fields.AsSpan(RawFieldCount, _fieldCount - RawFieldCount);

    public int RawFieldCount { get; private set; }

    /// <summary>Makes this record another one, reusing its arrays when they are large enough (a recycled record).</summary>
    internal void Refill(ushort type, string? node, AuditTimestamp time, uint serial, ReadOnlySpan<byte> body, ReadOnlySpan<AuditField> fields, int rawFieldCount)
    {
        Type = type;
        Node = node;
        Time = time;
        Serial = serial;
        if (_body.Length < body.Length)
        {
            _body = new byte[Math.Max(body.Length, _body.Length * 2)];
        }

        if (_fields.Length < fields.Length)
        {
            _fields = new AuditField[Math.Max(fields.Length, _fields.Length * 2)];
        }

        body.CopyTo(_body);
        fields.CopyTo(_fields);
        _bodyLength = body.Length;
        _fieldCount = fields.Length;
        RawFieldCount = rawFieldCount;
    }

    public ReadOnlySpan<byte> KeyOf(AuditField field) => _body.AsSpan(field.KeyStart, field.KeyLength);

    public ReadOnlySpan<byte> ValueOf(AuditField field) => _body.AsSpan(field.ValueStart, field.ValueLength);

    /// <summary>Finds a raw (kernel-written) field by name; the first occurrence wins.</summary>
    public bool TryGetField(ReadOnlySpan<byte> key, out AuditField field)
    {
        foreach (var candidate in RawFields)
        {
            if (KeyOf(candidate).SequenceEqual(key))
            {
                field = candidate;
                return true;
            }
        }

        field = default;
        return false;
    }

    /// <summary>The raw value text of <paramref name="key"/> (quotes removed), or empty.</summary>
    public ReadOnlySpan<byte> GetValue(ReadOnlySpan<byte> key) =>
        TryGetField(key, out var field) ? ValueOf(field) : default;

    public bool TryGetDecimal(ReadOnlySpan<byte> key, out ulong value)
    {
        value = 0;
        return TryGetField(key, out var field) && AuditNumbers.TryParseDecimal(ValueOf(field), out value);
    }

    public bool TryGetSigned(ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        return TryGetField(key, out var field) && AuditNumbers.TryParseSigned(ValueOf(field), out value);
    }

    public bool TryGetHex(ReadOnlySpan<byte> key, out ulong value)
    {
        value = 0;
        return TryGetField(key, out var field) && AuditNumbers.TryParseHex(ValueOf(field), out value);
    }

    /// <summary>
    /// Decodes a field the kernel writes with audit_log_untrustedstring(): quoted when the text is
    /// plain, hex when it holds a space, quote or control byte (kernel/audit.c). Null for
    /// <c>(null)</c>/<c>(none)</c> or a missing field.
    /// </summary>
    public byte[]? GetUntrustedBytes(ReadOnlySpan<byte> key) =>
        TryGetField(key, out var field) ? DecodeUntrusted(field) : null;

    /// <inheritdoc cref="GetUntrustedBytes"/>
    public string? GetUntrustedString(ReadOnlySpan<byte> key) =>
        TryGetField(key, out var field) ? DecodeUntrustedString(field) : null;

    /// <inheritdoc cref="GetUntrustedBytes"/>
    public string? DecodeUntrustedString(AuditField field)
    {
        var value = ValueOf(field);
        return field.Kind switch
        {
            AuditValueKind.Null or AuditValueKind.None => null,
            AuditValueKind.Unquoted when AuditNumbers.IsHex(value) => DecodeHexToString(value),
            _ => Encoding.UTF8.GetString(value),
        };
    }

    /// <inheritdoc cref="GetUntrustedBytes"/>
    public byte[]? DecodeUntrusted(AuditField field)
    {
        var value = ValueOf(field);
        switch (field.Kind)
        {
            case AuditValueKind.Null or AuditValueKind.None:
                return null;
            case AuditValueKind.Unquoted when AuditNumbers.IsHex(value):
                var bytes = new byte[value.Length / 2];
                AuditNumbers.TryDecodeHex(value, bytes, out _);
                return bytes;
            default:
                return value.ToArray();
        }
    }

    /// <summary>
    /// The rule keys of <c>key=</c>. Several keys are one hex value joined by 0x01
    /// (AUDIT_KEY_SEPARATOR in include/uapi/linux/audit.h).
    /// </summary>
    public IReadOnlyList<string> GetKeys()
    {
        var bytes = GetUntrustedBytes("key"u8);
        if (bytes is null || bytes.Length == 0)
        {
            return [];
        }

        var keys = new List<string>(1);
        foreach (var range in bytes.AsSpan().Split((byte)0x01))
        {
            keys.Add(Encoding.UTF8.GetString(bytes.AsSpan(range)));
        }

        return keys;
    }

    public override string ToString() =>
        $"{TypeName} audit({Time}:{Serial}) {Encoding.UTF8.GetString(Body)}";

    private static string DecodeHexToString(ReadOnlySpan<byte> hex)
    {
        var length = hex.Length / 2;
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[length] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(length));
        try
        {
            AuditNumbers.TryDecodeHex(hex, buffer, out var written);
            return Encoding.UTF8.GetString(buffer[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}
