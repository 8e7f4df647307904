using System.Globalization;
using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Benchmarks.Output;

/// <summary>
/// The hand-written jsonl writer the collector used before the one exec contract, field by field
/// with <see cref="Utf8JsonWriter"/>. Kept here only as the baseline of <see cref="JsonLinesBenchmarks"/>.
/// </summary>
internal static class HandWrittenExecJson
{
    private static readonly JsonEncodedText Time = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText Serial = JsonEncodedText.Encode("serial");
    private static readonly JsonEncodedText Host = JsonEncodedText.Encode("host");
    private static readonly JsonEncodedText Pid = JsonEncodedText.Encode("pid");
    private static readonly JsonEncodedText Ppid = JsonEncodedText.Encode("ppid");
    private static readonly JsonEncodedText Uid = JsonEncodedText.Encode("uid");
    private static readonly JsonEncodedText Auid = JsonEncodedText.Encode("auid");
    private static readonly JsonEncodedText Comm = JsonEncodedText.Encode("comm");
    private static readonly JsonEncodedText Exe = JsonEncodedText.Encode("exe");
    private static readonly JsonEncodedText Argv = JsonEncodedText.Encode("argv");
    private static readonly JsonEncodedText ArgvBytes = JsonEncodedText.Encode("argvBytes");
    private static readonly JsonEncodedText ArgvTruncated = JsonEncodedText.Encode("argvTruncated");
    private static readonly JsonEncodedText Cwd = JsonEncodedText.Encode("cwd");
    private static readonly JsonEncodedText Success = JsonEncodedText.Encode("success");
    private static readonly JsonEncodedText Exit = JsonEncodedText.Encode("exit");
    private static readonly JsonEncodedText Syscall = JsonEncodedText.Encode("syscall");
    private static readonly JsonEncodedText Arch = JsonEncodedText.Encode("arch");
    private static readonly JsonEncodedText Process = JsonEncodedText.Encode("process");
    private static readonly JsonEncodedText Parent = JsonEncodedText.Encode("parent");
    private static readonly JsonEncodedText Ancestry = JsonEncodedText.Encode("ancestry");
    private static readonly JsonEncodedText Key = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ProvenanceName = JsonEncodedText.Encode("provenance");
    private static readonly JsonEncodedText ExecSeen = JsonEncodedText.Encode("execSeen");
    private static readonly JsonEncodedText ProcSnapshot = JsonEncodedText.Encode("procSnapshot");
    private static readonly JsonEncodedText Inferred = JsonEncodedText.Encode("inferred");

    public static void Write(Utf8JsonWriter writer, ExecEvent execEvent)
    {
        var exec = execEvent.Exec;
        writer.WriteStartObject();
        WriteTime(writer, exec.Time);
        writer.WriteNumber(Serial, exec.Serial);
        writer.WriteString(Host, exec.Host);
        writer.WriteNumber(Pid, exec.Pid);
        writer.WriteNumber(Ppid, exec.Ppid);
        writer.WriteNumber(Uid, exec.Uid);
        writer.WriteNumber(Auid, exec.Auid);
        writer.WriteString(Comm, exec.Comm);
        writer.WriteString(Exe, exec.Exe);
        WriteStrings(writer, Argv, exec.Argv);
        if (exec.ArgvBytes is { } bytes)
        {
            writer.WriteStartArray(ArgvBytes);
            foreach (var argument in bytes)
            {
                writer.WriteBase64StringValue(argument);
            }

            writer.WriteEndArray();
        }

        // Only when true, as in session exports: argv holds what could be read, not the whole command.
        if (exec.ArgvTruncated)
        {
            writer.WriteBoolean(ArgvTruncated, true);
        }

        writer.WriteString(Cwd, exec.Cwd);
        writer.WriteBoolean(Success, exec.Success);
        writer.WriteNumber(Exit, exec.Exit);
        writer.WriteString(Syscall, exec.Syscall);
        writer.WriteString(Arch, exec.Arch);
        WriteKey(writer, Process, execEvent.Process);
        WriteKey(writer, Parent, execEvent.Parent);
        writer.WriteStartArray(Ancestry);
        foreach (var ancestor in execEvent.Ancestry)
        {
            writer.WriteStartObject();
            writer.WriteNumber(Pid, ancestor.Pid);
            writer.WriteString(Exe, ancestor.Exe);
            WriteStrings(writer, Argv, ancestor.Argv);
            WriteKey(writer, Key, ancestor.Key);
            writer.WriteString(ProvenanceName, ancestor.Provenance switch
            {
                Provenance.ExecSeen => ExecSeen,
                Provenance.ProcSnapshot => ProcSnapshot,
                _ => Inferred,
            });
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter writer, DateTimeOffset time)
    {
        // Audit timestamps have millisecond resolution (audit(SECONDS.MILLIS:SERIAL)).
        Span<char> text = stackalloc char[32];
        time.UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString(Time, text[..written]);
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        for (var i = 0; i < values.Count; i++)
        {
            writer.WriteStringValue(values[i]);
        }

        writer.WriteEndArray();
    }

    private static void WriteKey(Utf8JsonWriter writer, JsonEncodedText name, ProcessKey key)
    {
        if (key.IsNone)
        {
            writer.WriteNull(name);
            return;
        }

        // ProcessKey.ToString allocates one small string per key; acceptable per event.
        writer.WriteString(name, key.ToString());
    }
}
