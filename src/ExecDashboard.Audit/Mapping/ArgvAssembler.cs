using System.Buffers;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Parsing;

namespace ExecDashboard.Audit.Mapping;

/// <summary>
/// Rebuilds argv from an event's EXECVE records. kernel/auditsc.c audit_log_execve_info() writes
/// <c>argc=N a0=.. a1=..</c>; an argument too long for one record becomes <c>aN_len=L</c> then chunks
/// <c>aN[0]=.. aN[1]=..</c>, possibly spread over several EXECVE records. Each argument (or chunk run)
/// is quoted text or, when it holds spaces, quotes or control bytes, hex.
/// </summary>
internal sealed class ArgvAssembler
{
    private const int MaxKeptSources = 4096;

    private readonly ArgumentTextCache _texts = new();

    // Where each argument of the event being mapped lies, kept from one event to the next: a new
    // array per exec was a third of the mapper's allocations. Not thread-safe, like its mapper.
    private ArgumentSource[] _sources = new ArgumentSource[16];

    /// <summary>
    /// The text of each argument, argc of them (missing ones empty); their exact bytes too, only when
    /// one of them is not valid UTF-8 (its text then holds U+FFFD, Encoding.UTF8's replacement);
    /// and whether any was missing or cut: no EXECVE record with argc (lost or refused as too
    /// large), an argument absent, or a chunked argument shorter than its announced <c>aN_len</c>.
    /// </summary>
    /// <remarks>
    /// An argument's text is decoded straight from its record: the exact bytes of every argument
    /// as arrays of their own were garbage a moment later in all but the rare invalid case.
    /// </remarks>
    public (string[] Text, byte[][]? Exact, bool Truncated) Collect(AuditEvent ev)
    {
        ulong argc = 0;
        var haveArgc = false;
        foreach (var record in ev.Records)
        {
            if (record.Type == AuditRecordTypes.Execve && record.TryGetDecimal("argc"u8, out argc))
            {
                haveArgc = true;
                break;
            }
        }

        // argc is bounded by the kernel's MAX_ARG_STRINGS; guard against nonsense in a corrupt record.
        if (!haveArgc || argc == 0 || argc > 0x7FFFFFFF / 2)
        {
            // A successful exec always has argv[0]; none read means its EXECVE record is missing.
            return ([], null, !haveArgc || argc != 0);
        }

        var count = (int)Math.Min(argc, 1 << 20);
        var truncated = (ulong)count != argc;
        Dictionary<int, ulong>? announced = null;
        if (_sources.Length < count && count <= MaxKeptSources)
        {
            _sources = new ArgumentSource[Math.Max(count, 2 * _sources.Length)];
        }

        // A huge argc (a corrupt record says up to a million) gets an array of its own, not kept.
        var args = count <= _sources.Length ? _sources.AsSpan(0, count) : new ArgumentSource[count];
        args.Clear();
        // Only arguments longer than a record are chunked; most events never need this map.
        Dictionary<int, (ArrayBufferWriter<byte> Buffer, bool Hex)>? chunked = null;
        foreach (var record in ev.Records)
        {
            if (record.Type != AuditRecordTypes.Execve)
            {
                continue;
            }

            foreach (var field in record.RawFields)
            {
                var key = record.KeyOf(field);
                if (key.Length < 2 || key[0] != (byte)'a' || !TryReadIndex(key[1..], out var index, out var suffix)
                    || index >= count)
                {
                    continue;
                }

                if (suffix.IsEmpty)
                {
                    args[index] = new ArgumentSource(record, field, Joined: null);
                }
                else if (suffix.SequenceEqual("_len"u8))
                {
                    if (record.TryGetDecimal(key, out var length))
                    {
                        (announced ??= [])[index] = length;
                    }
                }
                else if (suffix[0] == (byte)'[')
                {
                    chunked ??= [];
                    if (!chunked.TryGetValue(index, out var chunk))
                    {
                        chunk = (new ArrayBufferWriter<byte>(), field.Kind == AuditValueKind.Unquoted);
                        chunked.Add(index, chunk);
                    }

                    chunk.Buffer.Write(record.ValueOf(field));
                }
            }
        }

        // Not "chunked ?? []": that builds an empty dictionary for every exec without a long argument.
        if (chunked is not null)
        {
            foreach (var (index, (buffer, hex)) in chunked)
            {
                if (announced is not null && announced.TryGetValue(index, out var length) && (ulong)buffer.WrittenCount != length)
                {
                    truncated = true;
                }

                args[index] = new ArgumentSource(null, default, hex ? DecodeHexOrKeep(buffer.WrittenSpan) : buffer.WrittenSpan.ToArray());
            }
        }

        var text = new string[count];
        var allValid = true;
        for (var i = 0; i < count; i++)
        {
            truncated |= args[i].IsMissing;
            allValid &= TryDecodeText(args[i], out text[i]);
        }

        var exact = allValid ? null : ExactBytes(args);

        // Records are recycled and joined chunks are garbage once the event is mapped: hold neither.
        args.Clear();
        return (text, exact, truncated);
    }

    /// <summary>One argument's text; false when its bytes are not valid UTF-8 (the text then holds U+FFFD).</summary>
    private bool TryDecodeText(ArgumentSource arg, out string text)
    {
        if (arg.Joined is { } joined)
        {
            return Decode(joined, out text);
        }

        if (arg.Record is not { } record || arg.Field.Kind is AuditValueKind.Null or AuditValueKind.None)
        {
            text = string.Empty;
            return true;
        }

        var value = record.ValueOf(arg.Field);
        if (arg.Field.Kind != AuditValueKind.Unquoted || !AuditNumbers.IsHex(value))
        {
            return Decode(value, out text);
        }

        var length = value.Length / 2;
        byte[]? rented = null;
        var buffer = length <= 512 ? stackalloc byte[length] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            AuditNumbers.TryDecodeHex(value, buffer, out var written);
            return Decode(buffer[..written], out text);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private bool Decode(ReadOnlySpan<byte> bytes, out string text) => _texts.TryDecode(bytes, out text);

    /// <summary>Every argument's exact bytes, for the rare event where one is not valid UTF-8.</summary>
    private static byte[][] ExactBytes(ReadOnlySpan<ArgumentSource> args)
    {
        var exact = new byte[args.Length][];
        for (var i = 0; i < args.Length; i++)
        {
            exact[i] = args[i].Joined ?? args[i].Record?.DecodeUntrusted(args[i].Field) ?? [];
        }

        return exact;
    }

    private static byte[] DecodeHexOrKeep(ReadOnlySpan<byte> text)
    {
        var bytes = new byte[text.Length / 2];
        return AuditNumbers.TryDecodeHex(text, bytes, out _) ? bytes : text.ToArray();
    }

    /// <summary>Reads the digits after 'a' in <c>a12</c>, <c>a12_len</c>, <c>a12[3]</c>.</summary>
    private static bool TryReadIndex(ReadOnlySpan<byte> text, out int index, out ReadOnlySpan<byte> suffix)
    {
        var digits = 0;
        while (digits < text.Length && (uint)(text[digits] - '0') <= 9)
        {
            digits++;
        }

        suffix = text[digits..];
        index = 0;
        if (digits is 0 or > 9 || !AuditNumbers.TryParseDecimal(text[..digits], out ulong value))
        {
            return false;
        }

        index = (int)value;

        // aN_len announces the encoded length (checked against the chunks); the chunks carry the bytes.
        return suffix.IsEmpty || suffix[0] == (byte)'[' || suffix.SequenceEqual("_len"u8);
    }

    /// <summary>Where an argument's value is: one field of a record, or the joined chunks of a long one; neither when it is missing.</summary>
    private readonly record struct ArgumentSource(AuditRecord? Record, AuditField Field, byte[]? Joined)
    {
        public bool IsMissing => Record is null && Joined is null;
    }
}
