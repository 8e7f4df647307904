using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Mapping;

/// <summary>
/// Where the fields an exec needs lie in its SYSCALL record, found in one pass over the record's
/// fields. Looking each of ten up by name scanned a record of about 25 fields ten times per exec
/// (measured: about a quarter of mapping an event in a profile of a 300,000-exec replay). As
/// with <see cref="AuditRecord.TryGetField"/>, only kernel-written fields count and the first
/// occurrence of a name wins.
/// </summary>
internal readonly struct SyscallFields
{
    private const int Arch = 0;
    private const int Syscall = 1;
    private const int Success = 2;
    private const int Exit = 3;
    private const int Pid = 4;
    private const int Ppid = 5;
    private const int Uid = 6;
    private const int Auid = 7;
    private const int Comm = 8;
    private const int Exe = 9;
    private const int Count = 10;

    private readonly AuditRecord _record;
    private readonly AuditField[] _fields;
    private readonly int _found;

    private SyscallFields(AuditRecord record, AuditField[] fields, int found)
    {
        _record = record;
        _fields = fields;
        _found = found;
    }

    /// <summary>Indexes <paramref name="record"/> into <paramref name="scratch"/> (at least ten long, reused by the caller).</summary>
    public static SyscallFields Read(AuditRecord record, AuditField[] scratch)
    {
        var found = 0;
        foreach (var field in record.RawFields)
        {
            var slot = SlotOf(record.KeyOf(field));
            if (slot >= 0 && (found & (1 << slot)) == 0)
            {
                found |= 1 << slot;
                scratch[slot] = field;
            }
        }

        return new SyscallFields(record, scratch, found);
    }

    public static AuditField[] NewScratch() => new AuditField[Count];

    public bool TryGetArch(out ulong value) => TryHex(Arch, out value);

    public bool TryGetSyscall(out ulong value) => TryDecimal(Syscall, out value);

    /// <summary>The raw text of <c>success=</c>, empty when absent.</summary>
    public ReadOnlySpan<byte> SuccessText => Has(Success) ? _record.ValueOf(_fields[Success]) : default;

    public bool TryGetExit(out long value)
    {
        value = 0;
        return Has(Exit) && AuditNumbers.TryParseSigned(_record.ValueOf(_fields[Exit]), out value);
    }

    public bool TryGetPid(out ulong value) => TryDecimal(Pid, out value);

    public bool TryGetPpid(out ulong value) => TryDecimal(Ppid, out value);

    public bool TryGetUid(out ulong value) => TryDecimal(Uid, out value);

    public bool TryGetAuid(out ulong value) => TryDecimal(Auid, out value);

    public bool TryGetComm(out AuditField field) => TryField(Comm, out field);

    public bool TryGetExe(out AuditField field) => TryField(Exe, out field);

    private static int SlotOf(ReadOnlySpan<byte> key) => key.Length switch
    {
        3 when key.SequenceEqual("pid"u8) => Pid,
        3 when key.SequenceEqual("uid"u8) => Uid,
        3 when key.SequenceEqual("exe"u8) => Exe,
        4 when key.SequenceEqual("arch"u8) => Arch,
        4 when key.SequenceEqual("exit"u8) => Exit,
        4 when key.SequenceEqual("ppid"u8) => Ppid,
        4 when key.SequenceEqual("auid"u8) => Auid,
        4 when key.SequenceEqual("comm"u8) => Comm,
        7 when key.SequenceEqual("syscall"u8) => Syscall,
        7 when key.SequenceEqual("success"u8) => Success,
        _ => -1,
    };

    private bool Has(int slot) => (_found & (1 << slot)) != 0;

    private bool TryField(int slot, out AuditField field)
    {
        field = Has(slot) ? _fields[slot] : default;
        return Has(slot);
    }

    private bool TryDecimal(int slot, out ulong value)
    {
        value = 0;
        return Has(slot) && AuditNumbers.TryParseDecimal(_record.ValueOf(_fields[slot]), out value);
    }

    private bool TryHex(int slot, out ulong value)
    {
        value = 0;
        return Has(slot) && AuditNumbers.TryParseHex(_record.ValueOf(_fields[slot]), out value);
    }
}
