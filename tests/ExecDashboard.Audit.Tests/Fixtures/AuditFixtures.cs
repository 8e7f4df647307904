using System.Text;
using ExecDashboard.Audit.Assembly;
using ExecDashboard.Audit.Pipeline;
using ExecDashboard.Audit.Sources;
using ExecDashboard.Domain.Events;

namespace ExecDashboard.Audit.Tests.Fixtures;

/// <summary>Public audit logs kept beside the repository (../shared/fixtures/audit), never copied in.</summary>
internal static class AuditFixtures
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    public static string PathOf(string relative) => Path.Combine(s_root.Value, relative);

    /// <summary>
    /// The file's lines as raw log records. Lines starting with '#' are the fixture authors'
    /// annotations, not audit output, and are left out; blank lines are kept.
    /// </summary>
    public static IEnumerable<RawAuditRecord> Records(string relative)
    {
        foreach (var line in SplitLines(File.ReadAllBytes(PathOf(relative))))
        {
            if (!line.Span.StartsWith("#"u8))
            {
                yield return new RawAuditRecord(0, line);
            }
        }
    }

    public static (AuditExecPipeline Pipeline, List<ExecObservation> Execs) Run(string relative, string host = "testhost")
    {
        var execs = new List<ExecObservation>();
        var pipeline = new AuditExecPipeline(host, new EventAssemblerOptions(), TimeProvider.System, execs.Add);
        foreach (var record in Records(relative))
        {
            pipeline.Push(record);
        }

        pipeline.Flush();
        return (pipeline, execs);
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static IEnumerable<ReadOnlyMemory<byte>> SplitLines(ReadOnlyMemory<byte> data)
    {
        while (!data.IsEmpty)
        {
            var end = data.Span.IndexOf((byte)'\n');
            if (end < 0)
            {
                yield return data;
                yield break;
            }

            yield return data[..end];
            data = data[(end + 1)..];
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ExecDashboard.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "audit"));
            }
        }

        throw new InvalidOperationException("ExecDashboard.sln not found above the test binaries; run tests from the repository.");
    }
}
