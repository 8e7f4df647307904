using System.Buffers;
using System.Text;
using ExecDashboard.Contracts;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Processes;
using MessagePack;
using MessagePack.Formatters;

namespace ExecDashboard.Web.Hubs;

/// <summary>
/// Reads the hub's <see cref="ExecEventMessage"/> maps as the contractless resolver does (members
/// by name, in any order; unknown names skipped; absent ones left at their defaults): format 1 of
/// a batch's execs (see <see cref="CompactExecs"/>). It shares what repeats from one exec to the
/// next: short strings through the thread's <see cref="Utf8StringCache"/>, and an ancestor whose
/// encoded bytes were seen before is the same <see cref="AncestorMessage"/>.
/// </summary>
/// <remarks>
/// Writing is not this type's business (the dashboard never sends execs over the hub); it
/// delegates to the contractless formatter. Its caches are per thread (hub calls are decoded on
/// the connections' threads), bounded, and hashed with the runtime's randomized seed.
/// </remarks>
internal sealed class ExecEventMessageReader : IMessagePackFormatter<ExecEventMessage?>
{
    private const int MaxSharedAncestors = 4096;

    /// <summary>Ancestor positions remembered from the previous exec; deeper ones take the shared look-up.</summary>
    private const int MaxRememberedDepth = 64;

    /// <summary>Longer than any member name of ours (the longest, TimeUnixMicros, has 14).</summary>
    private const int MaxMemberChars = 32;

    [ThreadStatic]
    private static SharedValues? _shared;

    private readonly IMessagePackFormatter<ExecEventMessage?> _writer;

    public ExecEventMessageReader(IMessagePackFormatter<ExecEventMessage?> writer) => _writer = writer;

    public void Serialize(ref MessagePackWriter writer, ExecEventMessage? value, MessagePackSerializerOptions options) =>
        _writer.Serialize(ref writer, value, options);

    public ExecEventMessage? Deserialize(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var shared = _shared ??= new SharedValues();
        options.Security.DepthStep(ref reader);
        long time = 0, exit = 0;
        ulong serial = 0;
        int pid = 0, ppid = 0;
        uint uid = 0, auid = 0;
        bool success = false, truncated = false;
        string? host = null, comm = null, exe = null, cwd = null, syscall = null, arch = null, process = null, parent = null;
        IReadOnlyList<string>? argv = null;
        IReadOnlyList<byte[]>? argvBytes = null;
        IReadOnlyList<AncestorMessage?>? ancestry = null;
        var name = shared.MemberChars;
        var members = reader.ReadMapHeader();
        for (var i = 0; i < members; i++)
        {
            switch (MemberName(ref reader, name))
            {
                case nameof(ExecEventMessage.TimeUnixMicros): time = reader.ReadInt64(); break;
                case nameof(ExecEventMessage.Serial): serial = reader.ReadUInt64(); break;
                case nameof(ExecEventMessage.Host): host = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Pid): pid = reader.ReadInt32(); break;
                case nameof(ExecEventMessage.Ppid): ppid = reader.ReadInt32(); break;
                case nameof(ExecEventMessage.Uid): uid = reader.ReadUInt32(); break;
                case nameof(ExecEventMessage.Auid): auid = reader.ReadUInt32(); break;
                case nameof(ExecEventMessage.Comm): comm = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Exe): exe = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Argv): argv = shared.Strings(ref reader); break;
                case nameof(ExecEventMessage.ArgvBytes): argvBytes = options.Resolver.GetFormatterWithVerify<IReadOnlyList<byte[]>?>().Deserialize(ref reader, options); break;
                case nameof(ExecEventMessage.ArgvTruncated): truncated = reader.ReadBoolean(); break;
                case nameof(ExecEventMessage.Cwd): cwd = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Success): success = reader.ReadBoolean(); break;
                case nameof(ExecEventMessage.Exit): exit = reader.ReadInt64(); break;
                case nameof(ExecEventMessage.Syscall): syscall = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Arch): arch = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Process): process = reader.ReadString(); break;
                case nameof(ExecEventMessage.Parent): parent = shared.String(ref reader); break;
                case nameof(ExecEventMessage.Ancestry): ancestry = Ancestry(ref reader, shared, options); break;
                default: reader.Skip(); break;
            }
        }

        reader.Depth--;

        // Nulls where the sender left a member out, as the contractless formatter leaves them; the
        // validator refuses them with the member's name.
        return new ExecEventMessage
        {
            Time = new IsoTime(time),
            Serial = serial,
            Host = host!,
            Pid = pid,
            Ppid = ppid,
            Uid = uid,
            Auid = auid,
            Comm = comm!,
            Exe = exe!,
            Argv = argv!,
            ArgvBytes = argvBytes,
            ArgvTruncated = truncated,
            Cwd = cwd!,
            Success = success,
            Exit = exit,
            Syscall = syscall!,
            Arch = arch!,
            Process = process!,
            Parent = parent,
            Ancestry = (IReadOnlyList<AncestorMessage>)ancestry!,
        };
    }

    private static IReadOnlyList<AncestorMessage?>? Ancestry(ref MessagePackReader reader, SharedValues shared, MessagePackSerializerOptions options)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = reader.ReadArrayHeader();
        var ancestry = new AncestorMessage?[count];
        for (var i = 0; i < count; i++)
        {
            ancestry[i] = shared.RepeatedAncestor(ref reader, i) ?? shared.Ancestor(reader.ReadRaw(), i, options);
        }

        return ancestry;
    }

    private static AncestorMessage? ReadAncestor(ReadOnlySequence<byte> encoded, SharedValues shared, MessagePackSerializerOptions options)
    {
        var reader = new MessagePackReader(encoded);
        if (reader.TryReadNil())
        {
            return null;
        }

        options.Security.DepthStep(ref reader);
        string? key = null, exe = null;
        IReadOnlyList<string>? argv = null;
        var pid = 0;
        var provenance = default(Provenance);
        var name = shared.MemberChars;
        var members = reader.ReadMapHeader();
        for (var i = 0; i < members; i++)
        {
            switch (MemberName(ref reader, name))
            {
                case nameof(AncestorMessage.Key): key = shared.String(ref reader); break;
                case nameof(AncestorMessage.Pid): pid = reader.ReadInt32(); break;
                case nameof(AncestorMessage.Exe): exe = shared.String(ref reader); break;
                case nameof(AncestorMessage.Argv): argv = shared.Strings(ref reader); break;
                case nameof(AncestorMessage.Provenance): provenance = (Provenance)reader.ReadInt32(); break;
                default: reader.Skip(); break;
            }
        }

        return new AncestorMessage { Key = key!, Pid = pid, Exe = exe!, Argv = argv!, Provenance = provenance };
    }

    /// <summary>
    /// A member's name decoded into <paramref name="chars"/>, for the callers' switch over the
    /// known names (no allocation, no look-up of its own); empty for a name too long to be one
    /// of ours. A dictionary look-up before the switch hashed every name twice.
    /// </summary>
    private static ReadOnlySpan<char> MemberName(ref MessagePackReader reader, Span<char> chars)
    {
        if (!reader.TryReadStringSpan(out var utf8))
        {
            // Split across buffer segments: read it the slow way.
            var name = reader.ReadString();
            if (name is null || name.Length > chars.Length)
            {
                return [];
            }

            name.CopyTo(chars);
            return chars[..name.Length];
        }

        return utf8.Length <= chars.Length && Encoding.UTF8.TryGetChars(utf8, chars, out var length) ? chars[..length] : [];
    }

    /// <summary>One thread's shared strings and ancestors; each set is emptied when it reaches its bound.</summary>
    private sealed class SharedValues
    {
        /// <summary>Where a member's name is decoded (the span cannot come from the stack: the reader is a ref struct passed by reference).</summary>
        public char[] MemberChars { get; } = new char[MaxMemberChars];

        private readonly Dictionary<byte[], AncestorMessage?> _ancestors = new(EncodedComparer.Instance);
        private readonly Dictionary<byte[], AncestorMessage?>.AlternateLookup<ReadOnlySpan<byte>> _ancestorsByBytes;

        // The previous exec's ancestors by position, with their encodings.
        private readonly List<(byte[] Encoded, AncestorMessage Message)> _previous = [];

        public SharedValues()
        {
            _ancestorsByBytes = _ancestors.GetAlternateLookup<ReadOnlySpan<byte>>();
        }

        public string? String(ref MessagePackReader reader) => Utf8StringCache.ForThisThread.Read(ref reader);

        public IReadOnlyList<string>? Strings(ref MessagePackReader reader) => Utf8StringCache.ForThisThread.ReadArray(ref reader);

        /// <summary>
        /// The ancestor at <paramref name="index"/> of the previous exec when the unread bytes
        /// start with its encoding, read past; null otherwise. A MessagePack value's encoding
        /// delimits itself, so equal leading bytes are the same value. Siblings name the same
        /// ancestors in the same places: comparing bytes spares skipping over each ancestor to
        /// find its length and hashing it (together half of reading ancestors, 3.9% of a
        /// replay's dashboard CPU, perf).
        /// </summary>
        public AncestorMessage? RepeatedAncestor(ref MessagePackReader reader, int index)
        {
            if (index >= _previous.Count)
            {
                return null;
            }

            var (encoded, message) = _previous[index];
            if (!reader.Sequence.Slice(reader.Position).FirstSpan.StartsWith(encoded))
            {
                return null;
            }

            reader.ReadRaw(encoded.Length);
            return message;
        }

        public AncestorMessage? Ancestor(ReadOnlySequence<byte> encoded, int index, MessagePackSerializerOptions options)
        {
            if (!encoded.IsSingleSegment || encoded.Length > 4096)
            {
                return ReadAncestor(encoded, this, options);
            }

            var bytes = encoded.FirstSpan;
            if (!_ancestorsByBytes.TryGetValue(bytes, out var key, out var read))
            {
                if (_ancestors.Count >= MaxSharedAncestors)
                {
                    _ancestors.Clear();
                }

                read = ReadAncestor(encoded, this, options);
                key = bytes.ToArray();
                _ancestors[key] = read;
            }

            if (read is not null)
            {
                RememberAt(index, key, read);
            }

            return read;
        }

        private void RememberAt(int index, byte[] encoded, AncestorMessage message)
        {
            if (index < _previous.Count)
            {
                _previous[index] = (encoded, message);
            }
            else if (index == _previous.Count && index < MaxRememberedDepth)
            {
                _previous.Add((encoded, message));
            }
        }
    }

    /// <summary>Compares encoded ancestors by content; hashed with the runtime's per-process random seed.</summary>
    private sealed class EncodedComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly EncodedComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = default(HashCode);
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
