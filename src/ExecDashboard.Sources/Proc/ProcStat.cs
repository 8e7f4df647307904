using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace ExecDashboard.Sources.Proc;

/// <summary>Fast reads of <c>/proc/PID/stat</c> for resolving process keys as execs arrive.</summary>
public static class ProcStat
{
    // A stat line is about 300 bytes; comm is at most 15 bytes, so 1 KiB always holds it.
    private const int MaxLine = 1024;

    /// <summary>
    /// Reads a live process's start (clock ticks since boot, field 22) and ppid. False when the
    /// process no longer exists (normal: short programs end before we look) or is unreadable.
    /// </summary>
    public static bool TryReadStartTicks(int pid, out long startTicks, out int ppid) =>
        TryReadStartTicks("/proc", pid, out startTicks, out ppid);

    internal static bool TryReadStartTicks(string procRoot, int pid, out long startTicks, out int ppid)
    {
        startTicks = 0;
        ppid = 0;
        if (!TryRead(procRoot, pid, out var stat))
        {
            return false;
        }

        startTicks = stat.StartTicks;
        ppid = stat.Ppid;
        return true;
    }

    internal static bool TryRead(string procRoot, int pid, out ProcStatLine stat)
    {
        stat = default;
        Span<byte> buffer = stackalloc byte[MaxLine];
        int length;
        try
        {
            using SafeFileHandle handle = File.OpenHandle(
                string.Create(CultureInfo.InvariantCulture, $"{procRoot}/{pid}/stat"), FileMode.Open, FileAccess.Read);
            length = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            // The process ended between listing and reading (ESRCH surfaces as IOException).
            return false;
        }

        return ProcStatLine.TryParse(buffer[..length], out stat);
    }
}
