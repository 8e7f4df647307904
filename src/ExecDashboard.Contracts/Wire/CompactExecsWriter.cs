using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using MessagePack;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// Writes one batch's execs in <see cref="CompactExecs"/> format 2, straight from the domain
/// events, each as it arrives: texts and ancestors go into the batch's tables the first time
/// they are named, execs into their own buffer; <see cref="WriteHead"/> then writes everything
/// that comes before the execs.
/// </summary>
/// <remarks>
/// Not thread-safe: one per batch being cut, reused after <see cref="Clear"/>. Ancestors are
/// looked up by reference: the lineage stage hands siblings the same <see cref="Ancestor"/>
/// instances (an equal ancestor under another instance is only written twice). Before any table
/// is asked, each field is compared with what the last exec named there (see <see cref="LastExec"/>):
/// consecutive execs mostly carry the very same instances. Measured on sendmail-story batches of
/// 2,048 execs (the benchmarks' CompactExecsWriterBenchmark), this took adding an exec from about
/// 310 to 210 ns; the ordinal dictionary's hashing and comparing had been most of it.
/// </remarks>
public sealed class CompactExecsWriter
{
    // Longest "boot/pid/start" past the boot: two numbers of at most 20 characters and two slashes.
    private const int MaxKeyNumberBytes = 42;

    // A position (never negative) as MessagePack's uint32: a code byte and four.
    private const int MaxPositionBytes = 5;

    private readonly Dictionary<string, int> _textIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<ProcessKey, int> _keyIndex = [];
    private readonly Dictionary<Ancestor, int> _ancestorIndex = new(ReferenceEqualityComparer.Instance);
    private readonly ArrayBufferWriter<byte> _texts = new(16 * 1024);
    private readonly ArrayBufferWriter<byte> _ancestors = new(4 * 1024);
    private readonly ArrayBufferWriter<byte> _execs = new(256 * 1024);
    private byte[] _key = new byte[128];
    private string? _keyBoot;
    private int _keyBootBytes;
    private LastExec _last;

    /// <summary>Execs written since the last <see cref="Clear"/>.</summary>
    public int Count { get; private set; }

    /// <summary>The batch's encoded size so far, tables included (the head's few bytes aside).</summary>
    public long Bytes => _texts.WrittenCount + _ancestors.WrittenCount + _execs.WrittenCount;

    /// <summary>The execs' array elements, written so far; valid until the next change.</summary>
    public ReadOnlyMemory<byte> Execs => _execs.WrittenMemory;

    public void Add(ExecEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var x = e.Exec;

        // Tables first: an exec's positions must name entries already written.
        var host = Text(x.Host, ref _last.Host);
        var comm = Text(x.Comm, ref _last.Comm);
        var exe = Text(x.Exe, ref _last.Exe);
        Span<int> argv = x.Argv.Count <= 32 ? stackalloc int[x.Argv.Count] : new int[x.Argv.Count];
        ArgvTexts(x.Argv, argv);
        var cwd = Text(x.Cwd, ref _last.Cwd);
        var syscall = Text(x.Syscall, ref _last.Syscall);
        var arch = Text(x.Arch, ref _last.Arch);
        var parent = e.Parent.IsNone ? -1 : ParentKey(e.Parent);
        Span<int> ancestry = e.Ancestry.Count <= 64 ? stackalloc int[e.Ancestry.Count] : new int[e.Ancestry.Count];
        AncestryIndexes(e.Ancestry, ancestry);

        var writer = new MessagePackWriter(_execs);
        writer.WriteArrayHeader(CompactExecs.ExecFields);
        writer.Write((x.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
        writer.Write(x.Serial);
        writer.Write(host);
        writer.Write(x.Pid);
        writer.Write(x.Ppid);
        writer.Write(x.Uid);
        writer.Write(x.Auid);
        writer.Write(comm);
        writer.Write(exe);
        WritePositions(ref writer, argv);
        if (x.ArgvBytes is null)
        {
            writer.WriteNil();
        }
        else
        {
            writer.WriteArrayHeader(x.ArgvBytes.Count);
            for (var i = 0; i < x.ArgvBytes.Count; i++)
            {
                writer.Write(x.ArgvBytes[i]);
            }
        }

        writer.Write(x.ArgvTruncated);
        writer.Write(cwd);
        writer.Write(x.Success);
        writer.Write(x.Exit);
        writer.Write(syscall);
        writer.Write(arch);
        WriteKey(ref writer, e.Process);
        if (parent < 0)
        {
            writer.WriteNil();
        }
        else
        {
            writer.Write(parent);
        }

        WritePositions(ref writer, ancestry);
        writer.Flush();
        Count++;
    }

    /// <summary>
    /// The format-2 map up to and including the execs' array header; the execs' elements
    /// (<see cref="Execs"/>) follow it.
    /// </summary>
    public void WriteHead(IBufferWriter<byte> head)
    {
        var writer = new MessagePackWriter(head);
        writer.WriteMapHeader(4);
        writer.Write(CompactExecs.FormatKey);
        writer.Write(CompactExecs.Format);
        writer.Write(CompactExecs.TextsKey);
        writer.WriteArrayHeader(_textIndex.Count + _keyIndex.Count);
        writer.WriteRaw(_texts.WrittenSpan);
        writer.Write(CompactExecs.AncestorsKey);
        writer.WriteArrayHeader(_ancestorIndex.Count);
        writer.WriteRaw(_ancestors.WrittenSpan);
        writer.Write(CompactExecs.ExecsKey);
        writer.WriteArrayHeader(Count);
        writer.Flush();
    }

    public void Clear()
    {
        _textIndex.Clear();
        _keyIndex.Clear();
        _ancestorIndex.Clear();
        _texts.ResetWrittenCount();
        _ancestors.ResetWrittenCount();
        _execs.ResetWrittenCount();
        _last = default;
        Count = 0;
    }

    private int TextCount => _textIndex.Count + _keyIndex.Count;

    private int Text(string text)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_textIndex, text, out var known);
        return known ? index : index = Append(text);
    }

    /// <summary>
    /// <see cref="Text(string)"/>, first asking whether the text is the very instance this field
    /// had last time: consecutive execs mostly carry the same instances (one host, the parser's
    /// cached comm, exe and argument texts), and a reference check costs nothing next to hashing
    /// the text. An equal text under another instance is found in the table as before, so the
    /// bytes are the same either way.
    /// </summary>
    private int Text(string text, ref LastText last)
    {
        // Not null: a field never filled yet holds null too (and a null text is refused below, as always).
        if (last.Text is { } known && ReferenceEquals(text, known))
        {
            return last.Index;
        }

        var index = Text(text);
        last = new LastText(text, index);
        return index;
    }

    private void ArgvTexts(IReadOnlyList<string> texts, Span<int> positions)
    {
        var remembered = Math.Min(positions.Length, LastExec.ArgvFields);
        for (var i = 0; i < remembered; i++)
        {
            positions[i] = Text(texts[i], ref _last.Argv[i]);
        }

        for (var i = remembered; i < positions.Length; i++)
        {
            positions[i] = Text(texts[i]);
        }
    }

    private void Texts(IReadOnlyList<string> texts, Span<int> positions)
    {
        for (var i = 0; i < positions.Length; i++)
        {
            positions[i] = Text(texts[i]);
        }
    }

    private int Key(ProcessKey key)
    {
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(_keyIndex, key, out var known);
        return known ? index : index = Append(key);
    }

    /// <summary>Writes a text just indexed; returns its position (the last).</summary>
    private int Append(string text)
    {
        var writer = new MessagePackWriter(_texts);
        writer.Write(text);
        writer.Flush();
        return TextCount - 1;
    }

    /// <summary>Writes a key just indexed; returns its position (the last).</summary>
    private int Append(ProcessKey key)
    {
        var writer = new MessagePackWriter(_texts);
        WriteKey(ref writer, key);
        writer.Flush();
        return TextCount - 1;
    }

    /// <summary><see cref="Key"/>, first asking whether the last exec had the same parent (siblings do).</summary>
    private int ParentKey(ProcessKey key)
    {
        if (_last.Parent.Is(key))
        {
            return _last.Parent.Index;
        }

        var index = Key(key);
        _last.Parent = new LastKey(key, index);
        return index;
    }

    /// <summary>
    /// Each ancestor's position, first asking whether the last exec named that very ancestor at
    /// that depth: siblings' chains are separate arrays of the same <see cref="Ancestor"/>
    /// instances, so this spares a look-up per link.
    /// </summary>
    private void AncestryIndexes(IReadOnlyList<Ancestor> ancestry, Span<int> positions)
    {
        var remembered = Math.Min(positions.Length, LastExec.AncestryFields);
        for (var i = 0; i < remembered; i++)
        {
            var a = ancestry[i];
            ref var last = ref _last.Ancestry[i];
            if (last.Ancestor is { } known && ReferenceEquals(a, known))
            {
                positions[i] = last.Index;
                continue;
            }

            positions[i] = AncestorIndex(a);
            last = new LastAncestor(a, positions[i]);
        }

        for (var i = remembered; i < positions.Length; i++)
        {
            positions[i] = AncestorIndex(ancestry[i]);
        }
    }

    private int AncestorIndex(Ancestor a)
    {
        if (_ancestorIndex.TryGetValue(a, out var index))
        {
            return index;
        }

        var key = Key(a.Key);
        var exe = Text(a.Exe);
        Span<int> argv = a.Argv.Count <= 32 ? stackalloc int[a.Argv.Count] : new int[a.Argv.Count];
        Texts(a.Argv, argv);
        var writer = new MessagePackWriter(_ancestors);
        writer.WriteArrayHeader(CompactExecs.AncestorFields);
        writer.Write(key);
        writer.Write(a.Pid);
        writer.Write(exe);
        WritePositions(ref writer, argv);
        writer.Write((int)a.Provenance);
        writer.Flush();
        index = _ancestorIndex.Count;
        _ancestorIndex.Add(a, index);
        return index;
    }

    /// <summary>
    /// An array of positions, encoded here rather than by one <see cref="MessagePackWriter.Write(int)"/>
    /// each (same bytes: the shortest of positive fixint, uint8, uint16, uint32): every exec writes
    /// two such arrays, and asking the writer for room per element was a tenth of adding an exec.
    /// </summary>
    private static void WritePositions(ref MessagePackWriter writer, scoped ReadOnlySpan<int> positions)
    {
        writer.WriteArrayHeader(positions.Length);
        var span = writer.GetSpan(positions.Length * MaxPositionBytes);
        var at = 0;
        foreach (var position in positions)
        {
            var value = (uint)position;
            if (value <= 0x7f)
            {
                span[at++] = (byte)value;
            }
            else if (value <= byte.MaxValue)
            {
                span[at++] = MessagePackCode.UInt8;
                span[at++] = (byte)value;
            }
            else if (value <= ushort.MaxValue)
            {
                span[at++] = MessagePackCode.UInt16;
                BinaryPrimitives.WriteUInt16BigEndian(span[at..], (ushort)value);
                at += sizeof(ushort);
            }
            else
            {
                span[at++] = MessagePackCode.UInt32;
                BinaryPrimitives.WriteUInt32BigEndian(span[at..], value);
                at += sizeof(uint);
            }
        }

        writer.Advance(at);
    }

    /// <summary><see cref="ProcessKey.ToString"/> as a MessagePack string, without the string.</summary>
    private void WriteKey(ref MessagePackWriter writer, ProcessKey key)
    {
        if (key.IsNone)
        {
            writer.Write(string.Empty);
            return;
        }

        // The boot's bytes and the slash after it stay at the start of the buffer: a batch's keys
        // nearly always name one boot, under one string instance. A null boot (which validation
        // refuses) is never taken for the boot held, so it fails here as it always did.
        if (_keyBoot is null || !ReferenceEquals(key.Boot, _keyBoot))
        {
            var longest = Encoding.UTF8.GetMaxByteCount(key.Boot.Length) + MaxKeyNumberBytes;
            if (_key.Length < longest)
            {
                _key = new byte[longest];
            }

            _keyBootBytes = Encoding.UTF8.GetBytes(key.Boot, _key);
            _key[_keyBootBytes] = (byte)'/';
            _keyBoot = key.Boot;
        }

        var text = _key.AsSpan();
        var at = _keyBootBytes + 1;
        Utf8Formatter.TryFormat(key.Pid, text[at..], out var written);
        at += written;
        text[at++] = (byte)'/';
        Utf8Formatter.TryFormat(key.StartTicks, text[at..], out written);
        at += written;
        writer.WriteString(_key.AsSpan(0, at));
    }
}
