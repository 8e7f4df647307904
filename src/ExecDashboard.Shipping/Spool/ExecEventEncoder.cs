using System.Buffers;
using System.Buffers.Text;
using System.Text;
using ExecDashboard.Contracts;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using MessagePack;

namespace ExecDashboard.Shipping.Spool;

/// <summary>
/// Writes an exec straight from the domain event as the hub's MessagePack form of
/// <see cref="ExecEventMessage"/>: byte for byte what the contractless resolver writes for
/// <c>e.ToMessage()</c> (a map keyed by member names, in declaration order), so dashboards and
/// spools of every version read it as before. Measured on a 300,000-exec replay, converting each
/// event to its message and encoding it through the contractless formatter was the largest
/// share of the collector's shipping cost: a message, its ancestry and a key string per ancestor
/// per event, all garbage a moment later.
/// </summary>
/// <remarks>
/// Not thread-safe: one per batching loop. The lineage stage hands siblings the same
/// <see cref="Ancestor"/> instances, so each ancestor is encoded once and its bytes copied into
/// every event below it; the cache is keyed by reference (an ancestor is immutable) and bounded.
/// </remarks>
internal sealed class ExecEventEncoder
{
    private const int MaxCachedAncestors = 4096;

    // Longest "boot/pid/start": the boot text plus two numbers of at most 20 characters each.
    private const int MaxNumberChars = 20;

    private static readonly byte[] EventHeader = Encode((ref MessagePackWriter w) => w.WriteMapHeader(20));
    private static readonly byte[] TimeKey = Key(nameof(ExecEventMessage.TimeUnixMicros));
    private static readonly byte[] SerialKey = Key(nameof(ExecEventMessage.Serial));
    private static readonly byte[] HostKey = Key(nameof(ExecEventMessage.Host));
    private static readonly byte[] PidKey = Key(nameof(ExecEventMessage.Pid));
    private static readonly byte[] PpidKey = Key(nameof(ExecEventMessage.Ppid));
    private static readonly byte[] UidKey = Key(nameof(ExecEventMessage.Uid));
    private static readonly byte[] AuidKey = Key(nameof(ExecEventMessage.Auid));
    private static readonly byte[] CommKey = Key(nameof(ExecEventMessage.Comm));
    private static readonly byte[] ExeKey = Key(nameof(ExecEventMessage.Exe));
    private static readonly byte[] ArgvKey = Key(nameof(ExecEventMessage.Argv));
    private static readonly byte[] ArgvBytesKey = Key(nameof(ExecEventMessage.ArgvBytes));
    private static readonly byte[] ArgvTruncatedKey = Key(nameof(ExecEventMessage.ArgvTruncated));
    private static readonly byte[] CwdKey = Key(nameof(ExecEventMessage.Cwd));
    private static readonly byte[] SuccessKey = Key(nameof(ExecEventMessage.Success));
    private static readonly byte[] ExitKey = Key(nameof(ExecEventMessage.Exit));
    private static readonly byte[] SyscallKey = Key(nameof(ExecEventMessage.Syscall));
    private static readonly byte[] ArchKey = Key(nameof(ExecEventMessage.Arch));
    private static readonly byte[] ProcessKeyKey = Key(nameof(ExecEventMessage.Process));
    private static readonly byte[] ParentKey = Key(nameof(ExecEventMessage.Parent));
    private static readonly byte[] AncestryKey = Key(nameof(ExecEventMessage.Ancestry));

    private static readonly byte[] AncestorHeader = Encode((ref MessagePackWriter w) => w.WriteMapHeader(5));
    private static readonly byte[] AncestorKeyKey = Key(nameof(AncestorMessage.Key));
    private static readonly byte[] AncestorPidKey = Key(nameof(AncestorMessage.Pid));
    private static readonly byte[] AncestorExeKey = Key(nameof(AncestorMessage.Exe));
    private static readonly byte[] AncestorArgvKey = Key(nameof(AncestorMessage.Argv));
    private static readonly byte[] AncestorProvenanceKey = Key(nameof(AncestorMessage.Provenance));

    private readonly Dictionary<Ancestor, byte[]> _ancestors = new(ReferenceEqualityComparer.Instance);
    private readonly ArrayBufferWriter<byte> _scratch = new(256);

    private byte[] _key = new byte[128];

    public void Write(ref MessagePackWriter writer, ExecEvent e)
    {
        var x = e.Exec;
        writer.WriteRaw(EventHeader);
        writer.WriteRaw(TimeKey);
        writer.Write((x.Time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerMicrosecond);
        writer.WriteRaw(SerialKey);
        writer.Write(x.Serial);
        writer.WriteRaw(HostKey);
        writer.Write(x.Host);
        writer.WriteRaw(PidKey);
        writer.Write(x.Pid);
        writer.WriteRaw(PpidKey);
        writer.Write(x.Ppid);
        writer.WriteRaw(UidKey);
        writer.Write(x.Uid);
        writer.WriteRaw(AuidKey);
        writer.Write(x.Auid);
        writer.WriteRaw(CommKey);
        writer.Write(x.Comm);
        writer.WriteRaw(ExeKey);
        writer.Write(x.Exe);
        writer.WriteRaw(ArgvKey);
        WriteStrings(ref writer, x.Argv);
        writer.WriteRaw(ArgvBytesKey);
        WriteBytesList(ref writer, x.ArgvBytes);
        writer.WriteRaw(ArgvTruncatedKey);
        writer.Write(x.ArgvTruncated);
        writer.WriteRaw(CwdKey);
        writer.Write(x.Cwd);
        writer.WriteRaw(SuccessKey);
        writer.Write(x.Success);
        writer.WriteRaw(ExitKey);
        writer.Write(x.Exit);
        writer.WriteRaw(SyscallKey);
        writer.Write(x.Syscall);
        writer.WriteRaw(ArchKey);
        writer.Write(x.Arch);
        writer.WriteRaw(ProcessKeyKey);
        WriteKey(ref writer, e.Process);
        writer.WriteRaw(ParentKey);
        if (e.Parent.IsNone)
        {
            writer.WriteNil();
        }
        else
        {
            WriteKey(ref writer, e.Parent);
        }

        writer.WriteRaw(AncestryKey);
        writer.WriteArrayHeader(e.Ancestry.Count);
        for (var i = 0; i < e.Ancestry.Count; i++)
        {
            writer.WriteRaw(Encoded(e.Ancestry[i]));
        }
    }

    private byte[] Encoded(Ancestor a)
    {
        if (_ancestors.TryGetValue(a, out var bytes))
        {
            return bytes;
        }

        if (_ancestors.Count >= MaxCachedAncestors)
        {
            // Siblings follow each other in a log, so what was cached long ago is rarely asked for again.
            _ancestors.Clear();
        }

        _scratch.ResetWrittenCount();
        var writer = new MessagePackWriter(_scratch);
        writer.WriteRaw(AncestorHeader);
        writer.WriteRaw(AncestorKeyKey);
        WriteKey(ref writer, a.Key);
        writer.WriteRaw(AncestorPidKey);
        writer.Write(a.Pid);
        writer.WriteRaw(AncestorExeKey);
        writer.Write(a.Exe);
        writer.WriteRaw(AncestorArgvKey);
        WriteStrings(ref writer, a.Argv);
        writer.WriteRaw(AncestorProvenanceKey);
        writer.Write((int)a.Provenance);
        writer.Flush();
        bytes = _scratch.WrittenSpan.ToArray();
        _ancestors[a] = bytes;
        return bytes;
    }

    /// <summary><see cref="ProcessKey.ToString"/> as a MessagePack string, without the string.</summary>
    private void WriteKey(ref MessagePackWriter writer, ProcessKey key)
    {
        if (key.IsNone)
        {
            writer.Write(string.Empty);
            return;
        }

        var longest = Encoding.UTF8.GetMaxByteCount(key.Boot.Length) + (2 * MaxNumberChars) + 2;
        if (_key.Length < longest)
        {
            _key = new byte[longest];
        }

        var text = _key.AsSpan();
        var at = Encoding.UTF8.GetBytes(key.Boot, text);
        text[at++] = (byte)'/';
        Utf8Formatter.TryFormat(key.Pid, text[at..], out var written);
        at += written;
        text[at++] = (byte)'/';
        Utf8Formatter.TryFormat(key.StartTicks, text[at..], out written);
        at += written;
        writer.WriteString(_key.AsSpan(0, at));
    }

    private static void WriteStrings(ref MessagePackWriter writer, IReadOnlyList<string>? values)
    {
        if (values is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            writer.Write(values[i]);
        }
    }

    private static void WriteBytesList(ref MessagePackWriter writer, IReadOnlyList<byte[]>? values)
    {
        if (values is null)
        {
            writer.WriteNil();
            return;
        }

        writer.WriteArrayHeader(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            writer.Write(values[i]);
        }
    }

    private static byte[] Key(string name) => Encode((ref MessagePackWriter w) => w.Write(name));

    private static byte[] Encode(MessageWriter write)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        var writer = new MessagePackWriter(buffer);
        write(ref writer);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private delegate void MessageWriter(ref MessagePackWriter writer);
}
