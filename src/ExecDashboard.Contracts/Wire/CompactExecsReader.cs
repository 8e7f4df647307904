using System.Buffers;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;
using MessagePack;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// Reads a batch's execs in <see cref="CompactExecs"/> format 2 straight into domain events: texts
/// come from the thread's <see cref="Utf8StringCache"/>, each key in the texts table is parsed
/// once per batch and an exec's own key from its bytes, each ancestor is one
/// <see cref="Ancestor"/> for every exec that names it, and siblings naming the same ancestors
/// share one ancestry list. A position outside its table, a missing table, or an exec or
/// ancestor with too few elements is a <see cref="MessagePackSerializationException"/> that says
/// which; an exec that cannot be converted (a key that is no key, an unknown provenance, a time
/// out of range) ends <see cref="DecodedExecs.Events"/> with the refusal format 1's conversion
/// gives, and the rest is still read for its form.
/// </summary>
/// <remarks>
/// Until format 2 was read this way the reader built <see cref="ExecEventMessage"/> objects
/// (each exec's keys as text) and the validator converted each, parsing its process and parent
/// keys anew (perf of a 300,000-exec replay: the conversion 2.4% of the dashboard's CPU, key
/// parsing 1.6%). Read straight into events, the dashboard's CPU per replay fell from a median
/// of 1.98 s to 1.88 s (fresh dashboards side by side, eight alternating replays, every pair
/// lower) and, in a second run of ten, from 2.22 s to 2.01 s (eight pairs lower, one equal).
/// Format 1 still arrives as messages and is converted by the validator.
/// </remarks>
public static class CompactExecsReader
{
    // The boot the keys of this thread's previous batch named, shared by the next batch's keys.
    [ThreadStatic]
    private static string? _boot;

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

    public static DecodedExecs Read(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Security.DepthStep(ref reader);
        var strings = Utf8StringCache.ForThisThread;
        BatchTexts? texts = null;
        BatchAncestors? ancestors = null;
        DecodedExecs? execs = null;
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
                    texts = new BatchTexts(strings.ReadArray(ref reader) ?? throw Missing(CompactExecs.TextsKey), new ExecEventConversion(_boot));
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
        _boot = texts?.Conversion.Boot ?? _boot;
        return execs ?? throw Missing(CompactExecs.ExecsKey);
    }

    private static BatchAncestors ReadAncestors(ref MessagePackReader reader, BatchTexts texts)
    {
        var ancestors = new BatchAncestors(reader.ReadArrayHeader());
        for (var i = 0; i < ancestors.Count; i++)
        {
            var fields = reader.ReadArrayHeader();
            if (fields < CompactExecs.AncestorFields)
            {
                throw new MessagePackSerializationException($"Ancestor {i} has {fields} elements, fewer than the {CompactExecs.AncestorFields} of format {CompactExecs.Format}.");
            }

            var key = texts.Position(ref reader);
            var pid = reader.ReadInt32();
            var exe = texts.Text(ref reader);
            var argv = texts.Texts(ref reader);
            var provenance = (Provenance)reader.ReadInt32();
            SkipExtra(ref reader, fields - CompactExecs.AncestorFields);
            try
            {
                ancestors.Converted(i, ExecEventMessageMapping.Ancestor(texts.Key(key, ExecEventMessageMapping.AncestorKeyField), pid, exe, argv, provenance));
            }
            catch (FormatException ex)
            {
                ancestors.Refused(i, ex);
            }
        }

        return ancestors;
    }

    private static DecodedExecs ReadExecs(ref MessagePackReader reader, BatchTexts texts, BatchAncestors ancestors)
    {
        var count = reader.ReadArrayHeader();
        var events = new ExecEvent[count];
        var converted = count;
        Exception? refusal = null;
        Ancestor?[] previous = [];
        for (var i = 0; i < count; i++)
        {
            var fields = reader.ReadArrayHeader();
            if (fields < CompactExecs.ExecFields)
            {
                throw new MessagePackSerializationException($"Exec {i} has {fields} elements, fewer than the {CompactExecs.ExecFields} of format {CompactExecs.Format}.");
            }

            var time = reader.ReadInt64();
            var serial = reader.ReadUInt64();
            var host = texts.Text(ref reader);
            var pid = reader.ReadInt32();
            var ppid = reader.ReadInt32();
            var uid = reader.ReadUInt32();
            var auid = reader.ReadUInt32();
            var comm = texts.Text(ref reader);
            var exe = texts.Text(ref reader);
            var argv = texts.Texts(ref reader);
            var argvBytes = ArgumentBytes(ref reader);
            var truncated = reader.ReadBoolean();
            var cwd = texts.Text(ref reader);
            var success = reader.ReadBoolean();
            var exit = reader.ReadInt64();
            var syscall = texts.Text(ref reader);
            var arch = texts.Text(ref reader);

            // Converted in the order format 1's conversion takes (required fields, own key,
            // parent, ancestors, time), so the first problem is the one it names; once an exec
            // is refused the rest are only read.
            var convert = refusal is null;
            Exception? failure = convert && (host is null || exe is null) ? ExecEventMessageMapping.MissingField() : null;
            var process = ProcessKey.None;
            if (reader.TryReadNil())
            {
                failure ??= convert ? ExecEventMessageMapping.MissingField() : null;
            }
            else if (convert && failure is null)
            {
                failure = OwnKey(ref reader, texts.Conversion, out process);
            }
            else
            {
                reader.Skip();
            }

            var parent = reader.TryReadNil() ? -1 : texts.Position(ref reader);
            var ancestry = previous = Ancestry(ref reader, ancestors, previous, out var refusedAncestor);
            SkipExtra(ref reader, fields - CompactExecs.ExecFields);
            if (convert && failure is null)
            {
                try
                {
                    var parentKey = parent < 0 || string.IsNullOrEmpty(texts[parent]) ? ProcessKey.None : texts.Key(parent, ExecEventMessageMapping.ParentField);
                    if (refusedAncestor is not null)
                    {
                        throw refusedAncestor;
                    }

                    events[i] = new ExecEvent
                    {
                        Exec = new ExecObservation
                        {
                            Time = ExecEventMessageMapping.Time(time),
                            Serial = serial,
                            Host = host!,
                            Pid = pid,
                            Ppid = ppid,
                            Uid = uid,
                            Auid = auid,
                            Comm = comm!,
                            Exe = exe!,
                            Argv = argv,
                            ArgvBytes = argvBytes,
                            ArgvTruncated = truncated,
                            Cwd = cwd!,
                            Success = success,
                            Exit = exit,
                            Syscall = syscall!,
                            Arch = arch!,
                        },
                        Process = process,
                        Parent = parentKey,
                        Ancestry = ancestry!,
                    };
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or ArgumentException)
                {
                    failure = ex;
                }
            }

            if (failure is not null && refusal is null)
            {
                refusal = failure;
                converted = i;
            }
        }

        return new DecodedExecs(converted == count ? events : new ArraySegment<ExecEvent>(events, 0, converted), count, refusal);
    }

    /// <summary>Reads an exec's own key; returns why it is none, or null.</summary>
    private static FormatException? OwnKey(ref MessagePackReader reader, ExecEventConversion conversion, out ProcessKey key)
    {
        key = ProcessKey.None;
        try
        {
            if (reader.TryReadStringSpan(out var utf8))
            {
                key = conversion.Key(utf8, ExecEventMessageMapping.ProcessField);
            }
            else
            {
                // Split across buffer segments (or not a string, which ReadString refuses).
                key = conversion.Key(reader.ReadString(), ExecEventMessageMapping.ProcessField);
            }

            return null;
        }
        catch (FormatException ex)
        {
            return ex;
        }
    }

    /// <summary>
    /// The ancestors at the positions read; <paramref name="previous"/> itself when they are its
    /// own. <paramref name="refused"/> is why the first that could not be converted was not.
    /// </summary>
    private static Ancestor?[] Ancestry(ref MessagePackReader reader, BatchAncestors ancestors, Ancestor?[] previous, out FormatException? refused)
    {
        refused = null;
        var count = reader.ReadArrayHeader();
        var ancestry = count == previous.Length ? previous : new Ancestor?[count];
        for (var i = 0; i < count; i++)
        {
            var ancestor = ancestors.At(reader.ReadInt32(), out var refusal);
            refused ??= refusal;
            if (ancestry == previous && (ancestor is null || !ReferenceEquals(ancestor, previous[i])))
            {
                ancestry = new Ancestor?[count];
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

    /// <summary>Throws for <paramref name="position"/>, outside the batch's table <paramref name="name"/> of <paramref name="entries"/>.</summary>
    internal static MessagePackSerializationException Outside(int position, string name, int entries) =>
        new($"Position {position} is outside the batch's \"{name}\" ({entries} entries).");

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
