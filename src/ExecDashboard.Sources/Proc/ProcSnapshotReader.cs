using System.Globalization;
using System.Text;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Sources.Proc;

/// <summary>
/// Reads every <c>/proc/PID</c> so processes that predate the collector have ancestry.
/// </summary>
/// <remarks>
/// Processes come and go while we read: a directory listed may be gone a moment later, and
/// any single file may fail (exe of a kernel thread, permission, a deleted binary). Only a
/// missing stat drops a process; every other field is best effort.
/// </remarks>
public sealed class ProcSnapshotReader(string procRoot = "/proc")
{
    public ProcSnapshot Read()
    {
        var entries = new List<ProcessSnapshotEntry>(512);
        var vanished = 0;
        foreach (var directory in Directory.EnumerateDirectories(procRoot))
        {
            if (!int.TryParse(Path.GetFileName(directory.AsSpan()), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var entry = TryReadProcess(pid);
            if (entry is null)
            {
                vanished++;
            }
            else
            {
                entries.Add(entry);
            }
        }

        return new ProcSnapshot { Entries = entries, Vanished = vanished };
    }

    /// <summary>Reads one process; null when it no longer exists.</summary>
    public ProcessSnapshotEntry? TryReadProcess(int pid)
    {
        if (!ProcStat.TryRead(procRoot, pid, out var stat))
        {
            return null;
        }

        var dir = string.Create(CultureInfo.InvariantCulture, $"{procRoot}/{pid}");
        return new ProcessSnapshotEntry
        {
            Pid = pid,
            Ppid = stat.Ppid,
            StartTicks = stat.StartTicks,
            Comm = stat.Comm,
            Exe = TryReadLink(dir + "/exe"),
            Argv = ReadCmdline(dir + "/cmdline"),
            Cwd = TryReadLink(dir + "/cwd"),
            Uid = TryReadUid(dir + "/status"),
        };
    }

    /// <summary>
    /// Splits a cmdline into arguments. The kernel separates them with NUL and ends the last with
    /// NUL; kernel threads and zombies have an empty one. Bytes that are not UTF-8 become U+FFFD.
    /// </summary>
    internal static IReadOnlyList<string> SplitCmdline(ReadOnlySpan<byte> cmdline)
    {
        if (cmdline.IsEmpty)
        {
            return [];
        }

        if (cmdline[^1] == 0)
        {
            cmdline = cmdline[..^1];
        }

        var argv = new List<string>();
        foreach (var range in cmdline.Split((byte)0))
        {
            argv.Add(Encoding.UTF8.GetString(cmdline[range]));
        }

        return argv;
    }

    private static IReadOnlyList<string> ReadCmdline(string path)
    {
        try
        {
            return SplitCmdline(File.ReadAllBytes(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string? TryReadLink(string path)
    {
        try
        {
            // readlink(2) of /proc links: the target as text, " (deleted)" appended for a removed file.
            return new FileInfo(path).LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static uint? TryReadUid(string path)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                // "Uid:\treal\teffective\tsaved\tfs"; the real uid is what audit calls uid.
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line.AsSpan(4).Trim();
                    var tab = fields.IndexOf('\t');
                    return uint.TryParse(tab < 0 ? fields : fields[..tab], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) ? uid : null;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return null;
    }
}
