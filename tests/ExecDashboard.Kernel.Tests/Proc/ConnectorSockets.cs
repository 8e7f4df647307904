using System.Globalization;
using System.Runtime.InteropServices;

namespace ExecDashboard.Kernel.Tests.Proc;

/// <summary>Finds this process's proc connector sockets through /proc, and breaks one in place.</summary>
internal static partial class ConnectorSockets
{
    private const int NetlinkConnector = 11;

    /// <summary>Descriptors of this process that are NETLINK_CONNECTOR sockets.</summary>
    public static IReadOnlySet<int> OfThisProcess()
    {
        // /proc/net/netlink: sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
        var connectorInodes = File.ReadLines("/proc/net/netlink").Skip(1)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 10 && fields[1] == NetlinkConnector.ToString(CultureInfo.InvariantCulture))
            .Select(fields => fields[9])
            .ToHashSet();
        var descriptors = new HashSet<int>();
        foreach (var link in new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos())
        {
            if (link.LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal)
                && connectorInodes.Contains(target["socket:[".Length..^1]))
            {
                descriptors.Add(int.Parse(link.Name, CultureInfo.InvariantCulture));
            }
        }

        return descriptors;
    }

    /// <summary>Makes <paramref name="descriptor"/> refer to /dev/null; its owner later closes /dev/null, not a reused number.</summary>
    public static void ReplaceWithDevNull(int descriptor)
    {
        using var devNull = File.OpenHandle("/dev/null");
        if (Dup2((int)devNull.DangerousGetHandle(), descriptor) < 0)
        {
            throw new InvalidOperationException($"dup2 failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldDescriptor, int newDescriptor);
}
