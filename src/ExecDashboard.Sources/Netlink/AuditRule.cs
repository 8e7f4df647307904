using System.Buffers.Binary;
using System.Text;

namespace ExecDashboard.Sources.Netlink;

/// <summary>
/// One syscall filter rule in the kernel's wire form, struct audit_rule_data
/// (include/uapi/linux/audit.h): flags (filter list), action, field_count, a 64-word syscall bitmask,
/// 64 fields/values/fieldflags, then buflen and the string values (keys, paths) back to back.
/// </summary>
public sealed class AuditRule
{
    private const int ActionOffset = 4;
    private const int FieldCountOffset = 8;
    private const int MaskOffset = 12;
    private const int FieldsOffset = MaskOffset + (AuditProtocol.AUDIT_BITMASK_SIZE * 4);
    private const int ValuesOffset = FieldsOffset + (AuditProtocol.AUDIT_MAX_FIELDS * 4);
    private const int FieldFlagsOffset = ValuesOffset + (AuditProtocol.AUDIT_MAX_FIELDS * 4);
    private const int BufferLengthOffset = FieldFlagsOffset + (AuditProtocol.AUDIT_MAX_FIELDS * 4);
    private const int FixedSize = BufferLengthOffset + 4;

    private readonly byte[] _data;

    private AuditRule(byte[] data, uint filterList, uint action, uint? arch, IReadOnlyList<int> syscalls, string? key, int fieldCount)
    {
        _data = data;
        FilterList = filterList;
        Action = action;
        Arch = arch;
        Syscalls = syscalls;
        Key = key;
        FieldCount = fieldCount;
    }

    /// <summary>The filter list (AUDIT_FILTER_EXIT is 4), without the prepend flag, which the kernel does not keep.</summary>
    public uint FilterList { get; }

    /// <summary>AUDIT_ALWAYS (2) or AUDIT_NEVER (0).</summary>
    public uint Action { get; }

    /// <summary>The AUDIT_ARCH value the rule is restricted to, for example 0xC000003E for x86-64.</summary>
    public uint? Arch { get; }

    /// <summary>Syscall numbers set in the rule's mask (all 2048 when the rule names none).</summary>
    public IReadOnlyList<int> Syscalls { get; }

    /// <summary>The rule's key (auditctl -k); several keys appear joined by 0x01.</summary>
    public string? Key { get; }

    public int FieldCount { get; }

    /// <summary>The rule to send with AUDIT_ADD_RULE (with AUDIT_FILTER_PREPEND when we built it).</summary>
    internal ReadOnlySpan<byte> Data => _data;

    /// <summary>
    /// The rule to send with AUDIT_DEL_RULE. The kernel compares every field including the flags,
    /// but clears AUDIT_FILTER_PREPEND once the rule is in its list (kernel/auditfilter.c,
    /// audit_add_rule and audit_compare_rule), so a delete carrying that flag finds nothing.
    /// </summary>
    internal byte[] DataForDeletion
    {
        get
        {
            var data = _data.ToArray();
            Write(data, 0, Read(data, 0) & ~AuditProtocol.AUDIT_FILTER_PREPEND);
            return data;
        }
    }

    /// <summary>An <c>always,exit</c> rule for <paramref name="syscalls"/> of one ABI, tagged with <paramref name="key"/>, prepended.</summary>
    public static AuditRule AlwaysOnExit(uint arch, IReadOnlyCollection<int> syscalls, string key)
    {
        var keyBytes = Encoding.UTF8.GetBytes(key);
        var data = new byte[FixedSize + keyBytes.Length];
        var span = data.AsSpan();
        Write(span, 0, AuditProtocol.AUDIT_FILTER_EXIT | AuditProtocol.AUDIT_FILTER_PREPEND);
        Write(span, ActionOffset, AuditProtocol.AUDIT_ALWAYS);
        Write(span, FieldCountOffset, 2);
        foreach (var syscall in syscalls)
        {
            var word = MaskOffset + (syscall / 32 * 4);
            Write(span, word, Read(span, word) | (1u << (syscall % 32)));
        }

        // The arch field must come before the syscall mask is interpreted: the kernel translates
        // the mask per ABI (kernel/auditfilter.c), so each ABI gets its own rule, as auditctl does.
        Write(span, FieldsOffset, AuditProtocol.AUDIT_ARCH);
        Write(span, ValuesOffset, arch);
        Write(span, FieldFlagsOffset, AuditProtocol.AUDIT_EQUAL);
        Write(span, FieldsOffset + 4, AuditProtocol.AUDIT_FILTERKEY);
        Write(span, ValuesOffset + 4, (uint)keyBytes.Length);
        Write(span, FieldFlagsOffset + 4, AuditProtocol.AUDIT_EQUAL);
        Write(span, BufferLengthOffset, (uint)keyBytes.Length);
        keyBytes.CopyTo(span[FixedSize..]);
        return Parse(span) ?? throw new InvalidOperationException("A rule we built did not parse back.");
    }

    /// <summary>Reads one AUDIT_LIST_RULES reply; null when the payload is not a whole rule.</summary>
    internal static AuditRule? Parse(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < FixedSize)
        {
            return null;
        }

        var fieldCount = (int)Read(payload, FieldCountOffset);
        var bufferLength = (int)Read(payload, BufferLengthOffset);
        if (fieldCount > AuditProtocol.AUDIT_MAX_FIELDS || bufferLength < 0 || payload.Length < FixedSize + bufferLength)
        {
            return null;
        }

        var strings = payload.Slice(FixedSize, bufferLength);
        uint? arch = null;
        string? key = null;
        var stringOffset = 0;
        for (var i = 0; i < fieldCount; i++)
        {
            var field = Read(payload, FieldsOffset + (i * 4));
            var value = Read(payload, ValuesOffset + (i * 4));
            if (IsStringField(field))
            {
                if (value > strings.Length - stringOffset)
                {
                    return null;
                }

                if (field == AuditProtocol.AUDIT_FILTERKEY)
                {
                    key = Encoding.UTF8.GetString(strings.Slice(stringOffset, (int)value));
                }

                stringOffset += (int)value;
            }
            else if (field == AuditProtocol.AUDIT_ARCH)
            {
                arch = value;
            }
        }

        var syscalls = new List<int>();
        for (var syscall = 0; syscall < AuditProtocol.AUDIT_BITMASK_SIZE * 32; syscall++)
        {
            if ((Read(payload, MaskOffset + (syscall / 32 * 4)) & (1u << (syscall % 32))) != 0)
            {
                syscalls.Add(syscall);
            }
        }

        var flags = Read(payload, 0);
        return new AuditRule(
            payload[..(FixedSize + bufferLength)].ToArray(),
            flags & ~AuditProtocol.AUDIT_FILTER_PREPEND,
            Read(payload, ActionOffset),
            arch,
            syscalls,
            key,
            fieldCount);
    }

    public override string ToString() =>
        $"list={FilterList} action={Action} arch=0x{Arch:X8} syscalls={string.Join(',', Syscalls)} key={Key}";

    /// <summary>Fields whose value is a length into the string buffer (kernel/auditfilter.c, audit_data_to_entry).</summary>
    private static bool IsStringField(uint field) => field is
        (>= 13 and <= 17) or (>= 19 and <= 23) // AUDIT_SUBJ_USER..AUDIT_SUBJ_CLR, AUDIT_OBJ_USER..AUDIT_OBJ_LEV_HIGH
        or 105 or 107 or 112 // AUDIT_WATCH, AUDIT_DIR, AUDIT_EXE
        or AuditProtocol.AUDIT_FILTERKEY;

    private static uint Read(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]);

    private static void Write(Span<byte> data, int offset, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(data[offset..], value);
}
