using System.Buffers;
using System.Text;
using System.Runtime.Versioning;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Processes;
using ExecDashboard.TestSupport.Recordings;

namespace ExecDashboard.Benchmarks.Ingest;

/// <summary>
/// A raw audit log as a replaying collector sends it: parsed, given its lineage by
/// <see cref="ReplayLineage"/> (named after the log, as the collector names a replay's boot), and
/// cut into batches of format 2 (<see cref="CompactExecsWriter"/>), each the bytes of one hub call's
/// execs.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class EncodedBatches
{
    public static List<byte[]> FromLog(byte[] log, string logName, string host, int perBatch, long maxExecs)
    {
        var lineage = new ReplayLineage(logName, ReplayLineage.DefaultMaxProcesses);
        var batch = new CompactExecsWriter();
        var batches = new List<byte[]>();
        long execs = 0;
        var pipeline = new AuditExecPipeline(host, new EventAssemblerOptions(), TimeProvider.System, exec =>
        {
            if (execs >= maxExecs)
            {
                return;
            }

            execs++;
            batch.Add(lineage.Attach(exec));
            if (batch.Count == perBatch)
            {
                batches.Add(Cut(batch));
            }
        });
        var memory = log.AsMemory();
        var start = 0;
        int newline;
        while ((newline = log.AsSpan(start).IndexOf((byte)'\n')) >= 0)
        {
            pipeline.Push(new RawAuditRecord(0, memory.Slice(start, newline)));
            start += newline + 1;
        }

        pipeline.Flush();
        if (batch.Count > 0)
        {
            batches.Add(Cut(batch));
        }

        return batches;
    }

    /// <summary>The sendmail story of <paramref name="runs"/> runs as a raw audit log, in memory.</summary>
    public static byte[] SendmailLog(int runs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            SendmailRecording.Write(writer, runs, n => 10 * n, new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero), TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));
        }

        return buffer.ToArray();
    }

    private static byte[] Cut(CompactExecsWriter batch)
    {
        var bytes = new ArrayBufferWriter<byte>();
        batch.WriteHead(bytes);
        bytes.Write(batch.Execs.Span);
        batch.Clear();
        return bytes.WrittenSpan.ToArray();
    }
}
