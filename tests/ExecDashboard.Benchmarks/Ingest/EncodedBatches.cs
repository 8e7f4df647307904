using System.Buffers;
using System.Runtime.Versioning;
using ExecDashboard.Benchmarks.Support;
using ExecDashboard.Contracts.Wire;
using ExecDashboard.Domain.Processes;

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
        SendmailLog.Parse(log, host, exec =>
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
        if (batch.Count > 0)
        {
            batches.Add(Cut(batch));
        }

        return batches;
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
