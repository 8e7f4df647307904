using System.Globalization;

namespace ExecDashboard.TestSupport.Recordings;

/// <summary>
/// A wide tree as a raw auditd log: <c>make -j</c> runs one shell per job, and each shell runs a
/// compiler and an assembler on its own file (<c>1 + 3 × jobs</c> distinct processes).
/// </summary>
public sealed class BuildTreeRecording
{
    public const string Node = "buildhost";

    public required int MakePid { get; init; }

    public required long Execs { get; init; }

    public static BuildTreeRecording Write(TextWriter output, int jobs, DateTimeOffset start)
    {
        var writer = new RawAuditLogWriter(output, Node);
        var time = start;
        var pid = 30_000;
        var make = pid++;
        const string cwd = "/home/ann/src/project";
        writer.Write(new RecordedExec { Time = time, Pid = make, Ppid = 2000, Exe = "/usr/bin/make", Argv = ["make", "-j8"], Cwd = cwd, Uid = 1000 });
        for (var job = 0; job < jobs; job++)
        {
            var file = string.Create(CultureInfo.InvariantCulture, $"src/unit{job:D3}.c");
            var shell = pid++;
            time += TimeSpan.FromMilliseconds(3);
            writer.Write(new RecordedExec { Time = time, Pid = shell, Ppid = make, Exe = "/usr/bin/dash", Argv = ["/bin/sh", "-c", $"cc -c {file}"], Cwd = cwd, Uid = 1000 });
            time += TimeSpan.FromMilliseconds(1);
            writer.Write(new RecordedExec { Time = time, Pid = pid++, Ppid = shell, Exe = "/usr/lib/gcc/x86_64-linux-gnu/12/cc1", Argv = ["/usr/lib/gcc/x86_64-linux-gnu/12/cc1", "-quiet", file, "-o", $"/tmp/cc{job:D4}.s"], Cwd = cwd, Uid = 1000 });
            time += TimeSpan.FromMilliseconds(1);
            writer.Write(new RecordedExec { Time = time, Pid = pid++, Ppid = shell, Exe = "/usr/bin/x86_64-linux-gnu-as", Argv = ["as", "--64", "-o", Path.ChangeExtension(file, ".o"), $"/tmp/cc{job:D4}.s"], Cwd = cwd, Uid = 1000 });
        }

        return new BuildTreeRecording { MakePid = make, Execs = writer.Execs };
    }
}
