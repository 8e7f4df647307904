using ExecDashboard.Contracts.Json;
using MessagePack;

namespace ExecDashboard.Contracts.Wire;

/// <summary>
/// A batch's process ends in MessagePack, written and read by hand: an array of maps keyed by the
/// members' C# names, byte for byte what the contractless resolver writes for
/// <see cref="ProcessExitMessage"/> (spools and earlier dashboards read that form). The collector
/// writes and reads its spool with it, the dashboard reads the ends of hub batches with it.
/// </summary>
/// <remarks>
/// The contractless resolver compiles a formatter with <c>Reflection.Emit</c> the first time it
/// meets a type: with the ends written here, a collector's hot path (execs, see
/// <see cref="CompactExecsWriter"/>; ends; acknowledgements) asks no dynamic resolver for anything,
/// which a natively compiled collector needs (it cannot emit code), and a live collector does not
/// pay for building those resolvers at its first end. Read like the contractless resolver reads: members in any
/// order, unknown ones skipped, absent ones left at their defaults.
/// </remarks>
public static class ProcessExitsWire
{
    // In declaration order, as the contractless resolver writes them.
    private const string TimeMember = nameof(ProcessExitMessage.TimeUnixMicros);
    private const string PidMember = nameof(ProcessExitMessage.Pid);
    private const string ProcessMember = nameof(ProcessExitMessage.Process);
    private const string StartedMember = nameof(ProcessExitMessage.StartedUnixMicros);
    private const string ExitCodeMember = nameof(ProcessExitMessage.ExitCode);
    private const string SignalMember = nameof(ProcessExitMessage.Signal);
    private const string CoreDumpedMember = nameof(ProcessExitMessage.CoreDumped);
    private const int Members = 7;

    public static void Write(ref MessagePackWriter writer, IReadOnlyList<ProcessExitMessage> exits)
    {
        ArgumentNullException.ThrowIfNull(exits);
        writer.WriteArrayHeader(exits.Count);
        for (var i = 0; i < exits.Count; i++)
        {
            var exit = exits[i];
            if (exit is null)
            {
                writer.WriteNil();
                continue;
            }

            writer.WriteMapHeader(Members);
            writer.Write(TimeMember);
            writer.Write(exit.TimeUnixMicros);
            writer.Write(PidMember);
            writer.Write(exit.Pid);
            writer.Write(ProcessMember);
            writer.Write(exit.Process);
            writer.Write(StartedMember);
            writer.Write(exit.StartedUnixMicros);
            writer.Write(ExitCodeMember);
            WriteOptional(ref writer, exit.ExitCode);
            writer.Write(SignalMember);
            WriteOptional(ref writer, exit.Signal);
            writer.Write(CoreDumpedMember);
            writer.Write(exit.CoreDumped);
        }
    }

    /// <summary>
    /// Reads an array of ends as it was sent, as the contractless resolver reads it: nil is null and
    /// a nil end a null entry, for the reader to refuse or skip. Throws
    /// <see cref="MessagePackSerializationException"/> for anything else.
    /// </summary>
    public static ProcessExitMessage?[]? Read(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (reader.TryReadNil())
        {
            return null;
        }

        var count = reader.ReadArrayHeader();
        options.Security.DepthStep(ref reader);

        // Grown as read, never sized by the count alone: a header claiming millions costs nothing until they arrive.
        var exits = new List<ProcessExitMessage?>(Math.Min(count, 4096));
        for (var i = 0; i < count; i++)
        {
            exits.Add(reader.TryReadNil() ? null : ReadOne(ref reader, options));
        }

        reader.Depth--;
        return [.. exits];
    }

    private static ProcessExitMessage ReadOne(ref MessagePackReader reader, MessagePackSerializerOptions options)
    {
        options.Security.DepthStep(ref reader);
        long time = 0, started = 0;
        int pid = 0;
        string? process = null;
        int? exitCode = null, signal = null;
        var coreDumped = false;
        var members = reader.ReadMapHeader();
        for (var i = 0; i < members; i++)
        {
            switch (reader.ReadString())
            {
                case TimeMember:
                    time = reader.ReadInt64();
                    break;
                case PidMember:
                    pid = reader.ReadInt32();
                    break;
                case ProcessMember:
                    process = reader.ReadString();
                    break;
                case StartedMember:
                    started = reader.ReadInt64();
                    break;
                case ExitCodeMember:
                    exitCode = ReadOptional(ref reader);
                    break;
                case SignalMember:
                    signal = ReadOptional(ref reader);
                    break;
                case CoreDumpedMember:
                    coreDumped = reader.ReadBoolean();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        reader.Depth--;

        // Required members the map left out keep their defaults, as with the contractless resolver:
        // the dashboard's validation says what is wrong with such an end.
        return new ProcessExitMessage
        {
            Time = new IsoTime(time),
            Started = new IsoTime(started),
            Pid = pid,
            Process = process!,
            ExitCode = exitCode,
            Signal = signal,
            CoreDumped = coreDumped,
        };
    }

    private static void WriteOptional(ref MessagePackWriter writer, int? value)
    {
        if (value is { } v)
        {
            writer.Write(v);
        }
        else
        {
            writer.WriteNil();
        }
    }

    private static int? ReadOptional(ref MessagePackReader reader) => reader.TryReadNil() ? null : reader.ReadInt32();
}
