using System.Text;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;
using ExecDashboard.TestSupport.Recordings;

namespace ExecDashboard.Benchmarks.Support;

/// <summary>
/// The benchmarks' one recording: the sendmail story as a raw audit log (its n-th run forks 10 n
/// children, 1 ms apart, runs 1 s apart), and the audit pipeline that turns such a log back into
/// execs, as the collector and the importer do.
/// </summary>
internal static class SendmailLog
{
    /// <summary>When the story starts, unless a benchmark needs a second log of other times.</summary>
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    public static SendmailRecording Write(TextWriter output, int runs, DateTimeOffset? start = null) =>
        SendmailRecording.Write(output, runs, n => 10 * n, start ?? Start, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(1));

    /// <summary>The story of <paramref name="runs"/> runs as a raw audit log, in memory.</summary>
    public static byte[] InMemory(int runs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            Write(writer, runs);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Pushes the log's lines through the audit pipeline, each exec to <paramref name="onExec"/>,
    /// until the log ends or <paramref name="enough"/> says so (checked between lines).
    /// </summary>
    public static void Parse(ReadOnlyMemory<byte> log, string host, Action<ExecObservation> onExec, Func<bool>? enough = null)
    {
        var pipeline = new AuditExecPipeline(host, new EventAssemblerOptions(), TimeProvider.System, onExec);
        var start = 0;
        int newline;
        while ((newline = log.Span[start..].IndexOf((byte)'\n')) >= 0)
        {
            if (enough?.Invoke() == true)
            {
                return;
            }

            pipeline.Push(new RawAuditRecord(0, log.Slice(start, newline)));
            start += newline + 1;
        }

        pipeline.Flush();
    }
}
