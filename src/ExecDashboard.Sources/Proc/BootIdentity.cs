using System.Globalization;
using System.Runtime.InteropServices;
using ExecDashboard.Domain.Processes;

namespace ExecDashboard.Sources.Proc;

/// <summary>Reads what makes process keys of this boot: boot id, boot time and clock ticks.</summary>
public static partial class BootIdentity
{
    /// <summary>First eight hex digits of <c>/proc/sys/kernel/random/boot_id</c> (a UUID, new each boot).</summary>
    public static string ReadBootIdPrefix(string procRoot = "/proc")
    {
        var text = File.ReadAllText(Path.Combine(procRoot, "sys/kernel/random/boot_id")).Trim();
        return text.Length >= 8 ? text[..8] : throw new InvalidDataException($"Boot id '{text}' is shorter than eight characters.");
    }

    /// <summary>
    /// Boot time from the <c>btime</c> line of <c>/proc/stat</c>: whole seconds since the epoch,
    /// so times derived from it are within a second of the kernel's own tick count.
    /// </summary>
    public static DateTimeOffset ReadBootTime(string procRoot = "/proc")
    {
        foreach (var line in File.ReadLines(Path.Combine(procRoot, "stat")))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal))
            {
                return DateTimeOffset.FromUnixTimeSeconds(long.Parse(line.AsSpan(6).Trim(), NumberStyles.None, CultureInfo.InvariantCulture));
            }
        }

        throw new InvalidDataException($"{procRoot}/stat has no btime line.");
    }

    /// <summary><c>sysconf(_SC_CLK_TCK)</c>: the unit of start times in <c>/proc/PID/stat</c> (USER_HZ).</summary>
    public static int ClockTicksPerSecond()
    {
        const int ScClkTck = 2; // _SC_CLK_TCK in glibc's bits/confname.h
        var ticks = SysConf(ScClkTck);
        return ticks > 0 ? (int)ticks : 100;
    }

    /// <summary>The clock that gives this boot's processes their keys.</summary>
    public static BootClock CreateClock() => new(ReadBootIdPrefix(), ReadBootTime(), ClockTicksPerSecond());

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);
}
