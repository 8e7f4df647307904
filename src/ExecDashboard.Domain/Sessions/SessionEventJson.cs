using System.Runtime.CompilerServices;
using System.Text.Json;
using ExecDashboard.Domain.Events;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Domain.Sessions;

/// <summary>
/// Writes one event of the export straight to a <see cref="Utf8JsonWriter"/>, in the shape of
/// <see cref="SessionJson.EventDto"/> (same names, same omissions), without a DTO or reflection
/// per event. An ancestry chain is encoded once and then copied: a store hands every event of a
/// storm the same chain instance, so a 300,000-exec export encodes a handful of chains.
/// </summary>
internal sealed class SessionEventJson
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

    private readonly ConditionalWeakTable<IReadOnlyList<Ancestor>, byte[]> _chains = [];

    public void Write(Utf8JsonWriter writer, ExecEvent e)
    {
        var x = e.Exec;
        writer.WriteStartObject();
        writer.WriteString(Time, x.Time);
        writer.WriteNumber(Serial, x.Serial);
        writer.WriteString(Host, x.Host);
        writer.WriteNumber(Pid, x.Pid);
        writer.WriteNumber(Ppid, x.Ppid);
        writer.WriteNumber(Uid, x.Uid);
        writer.WriteNumber(Auid, x.Auid);
        writer.WriteString(Comm, x.Comm);
        writer.WriteString(Exe, x.Exe);
        WriteArgv(writer, Argv, x.Argv);
        if (x.ArgvBytes is { } bytes)
        {
            writer.WriteStartArray(ArgvBytes);
            foreach (var b in bytes)
            {
                writer.WriteBase64StringValue(b);
            }

            writer.WriteEndArray();
        }

        if (x.ArgvTruncated)
        {
            // Written only when true, so files of complete execs read the same as before the flag.
            writer.WriteBoolean(ArgvTruncated, true);
        }

        writer.WriteString(Cwd, x.Cwd);
        writer.WriteBoolean(Success, x.Success);
        writer.WriteNumber(Exit, x.Exit);
        writer.WriteString(Syscall, x.Syscall);
        writer.WriteString(Arch, x.Arch);
        writer.WriteString(Process, e.Process.ToString());
        writer.WriteString(Parent, e.Parent.ToString());
        writer.WritePropertyName(Ancestry);
        writer.WriteRawValue(_chains.GetValue(e.Ancestry, Encode), skipInputValidation: true);
        writer.WriteEndObject();
    }

    private static byte[] Encode(IReadOnlyList<Ancestor> chain)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var a in chain)
            {
                writer.WriteStartObject();
                writer.WriteString(Key, a.Key.ToString());
                writer.WriteNumber(Pid, a.Pid);
                writer.WriteString(Exe, a.Exe);
                WriteArgv(writer, Argv, a.Argv);
                writer.WriteString(ProvenanceName, a.Provenance switch
                {
                    Provenance.ExecSeen => "execSeen",
                    Provenance.ProcSnapshot => "procSnapshot",
                    _ => "inferred",
                });
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteArgv(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> argv)
    {
        writer.WriteStartArray(name);
        foreach (var a in argv)
        {
            writer.WriteStringValue(a);
        }

        writer.WriteEndArray();
    }
}
