using System.Buffers;
using ExecDashboard.Contracts.Json;
using ExecDashboard.Domain.Processes;
using MessagePack;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// Reads a batch's execs in <see cref="CompactExecs"/> format 2 into the messages format 1 reads
/// as: texts come from the thread's <see cref="Utf8StringCache"/>, each ancestor is one
/// <see cref="AncestorMessage"/> for every exec that names it, and siblings naming the same
/// ancestors share one ancestry list. A position outside its table, a missing table, or an
/// exec or ancestor with too few elements is a <see cref="MessagePackSerializationException"/>
/// that says which.
/// </summary>
public static class CompactExecsReader
{
    /// <summary>How many execs a format-2 map holds, without reading them.</summary>
    public static int Count(ReadOnlyMemory<byte> encoded)
    {
        var reader = new MessagePackReader(encoded);
        var members = reader.ReadMapHeader();
        for (var i = 0; i < members; i++)
        {
            if (reader.ReadString() == CompactExecs.ExecsKey)
            {
                return reader.ReadArrayHeader();
            }

            reader.Skip();
        }

        throw new MessagePackSerializationException($"The execs of format {CompactExecs.Format} lack their \"{CompactExecs.ExecsKey}\".");
    }

    public static ExecEventMessage[] Read(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Security.DepthStep(ref reader);
        var strings = Utf8StringCache.ForThisThread;
        string[]? texts = null;
        AncestorMessage[]? ancestors = null;
        ExecEventMessage[]? execs = null;
        var members = reader.ReadMapHeader();
        for (var i = 0; i < members; i++)
        {
            switch (reader.ReadString())
            {
                case CompactExecs.FormatKey:
                    var format = reader.ReadInt32();
                    if (format != CompactExecs.Format)
                    {
                        throw new MessagePackSerializationException($"The execs are in format {format}; this dashboard reads formats 1 and {CompactExecs.Format}.");
                    }

                    break;
                case CompactExecs.TextsKey:
                    texts = strings.ReadArray(ref reader) ?? throw Missing(CompactExecs.TextsKey);
                    break;
                case CompactExecs.AncestorsKey:
                    ancestors = ReadAncestors(ref reader, texts ?? throw Missing(CompactExecs.TextsKey));
                    break;
                case CompactExecs.ExecsKey:
                    execs = ReadExecs(ref reader, texts ?? throw Missing(CompactExecs.TextsKey), ancestors ?? throw Missing(CompactExecs.AncestorsKey));
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        reader.Depth--;
        return execs ?? throw Missing(CompactExecs.ExecsKey);
    }

    private static AncestorMessage[] ReadAncestors(ref MessagePackReader reader, string[] texts)
    {
        var ancestors = new AncestorMessage[reader.ReadArrayHeader()];
        for (var i = 0; i < ancestors.Length; i++)
        {
            var fields = reader.ReadArrayHeader();
            if (fields < CompactExecs.AncestorFields)
            {
                throw new MessagePackSerializationException($"Ancestor {i} has {fields} elements, fewer than the {CompactExecs.AncestorFields} of format {CompactExecs.Format}.");
            }

            ancestors[i] = new AncestorMessage
            {
                Key = Text(ref reader, texts),
                Pid = reader.ReadInt32(),
                Exe = Text(ref reader, texts),
                Argv = Texts(ref reader, texts),
                Provenance = (Provenance)reader.ReadInt32(),
            };
            SkipExtra(ref reader, fields - CompactExecs.AncestorFields);
        }

        return ancestors;
    }

    private static ExecEventMessage[] ReadExecs(ref MessagePackReader reader, string[] texts, AncestorMessage[] ancestors)
    {
        var execs = new ExecEventMessage[reader.ReadArrayHeader()];
        AncestorMessage[] previous = [];
        for (var i = 0; i < execs.Length; i++)
        {
            var fields = reader.ReadArrayHeader();
            if (fields < CompactExecs.ExecFields)
            {
                throw new MessagePackSerializationException($"Exec {i} has {fields} elements, fewer than the {CompactExecs.ExecFields} of format {CompactExecs.Format}.");
            }

            execs[i] = new ExecEventMessage
            {
                Time = new IsoTime(reader.ReadInt64()),
                Serial = reader.ReadUInt64(),
                Host = Text(ref reader, texts),
                Pid = reader.ReadInt32(),
                Ppid = reader.ReadInt32(),
                Uid = reader.ReadUInt32(),
                Auid = reader.ReadUInt32(),
                Comm = Text(ref reader, texts),
                Exe = Text(ref reader, texts),
                Argv = Texts(ref reader, texts),
                ArgvBytes = ArgumentBytes(ref reader),
                ArgvTruncated = reader.ReadBoolean(),
                Cwd = Text(ref reader, texts),
                Success = reader.ReadBoolean(),
                Exit = reader.ReadInt64(),
                Syscall = Text(ref reader, texts),
                Arch = Text(ref reader, texts),
                Process = reader.ReadString()!,
                Parent = reader.TryReadNil() ? null : Text(ref reader, texts),
                Ancestry = previous = Ancestry(ref reader, ancestors, previous),
            };
            SkipExtra(ref reader, fields - CompactExecs.ExecFields);
        }

        return execs;
    }

    /// <summary>The ancestors at the positions read; <paramref name="previous"/> itself when they are its own.</summary>
    private static AncestorMessage[] Ancestry(ref MessagePackReader reader, AncestorMessage[] ancestors, AncestorMessage[] previous)
    {
        var count = reader.ReadArrayHeader();
        var ancestry = count == previous.Length ? previous : new AncestorMessage[count];
        for (var i = 0; i < count; i++)
        {
            var ancestor = At(ancestors, reader.ReadInt32(), CompactExecs.AncestorsKey);
            if (ancestry == previous && !ReferenceEquals(ancestor, previous[i]))
            {
                ancestry = new AncestorMessage[count];
                previous.AsSpan(0, i).CopyTo(ancestry);
            }

            ancestry[i] = ancestor;
        }

        return ancestry;
    }

    private static byte[][]? ArgumentBytes(ref MessagePackReader reader)
    {
        if (reader.TryReadNil())
        {
            return null;
        }

        var bytes = new byte[reader.ReadArrayHeader()][];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = reader.ReadBytes()?.ToArray() ?? [];
        }

        return bytes;
    }

    private static string Text(ref MessagePackReader reader, string[] texts) => At(texts, reader.ReadInt32(), CompactExecs.TextsKey);

    private static string[] Texts(ref MessagePackReader reader, string[] texts)
    {
        var values = new string[reader.ReadArrayHeader()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Text(ref reader, texts);
        }

        return values;
    }

    private static T At<T>(T[] table, int position, string name) =>
        (uint)position < (uint)table.Length
            ? table[position]
            : throw new MessagePackSerializationException($"Position {position} is outside the batch's \"{name}\" ({table.Length} entries).");

    private static void SkipExtra(ref MessagePackReader reader, int extra)
    {
        for (var i = 0; i < extra; i++)
        {
            reader.Skip();
        }
    }

    private static MessagePackSerializationException Missing(string member) =>
        new($"The execs of format {CompactExecs.Format} lack their \"{member}\" before the execs that name it.");
}
