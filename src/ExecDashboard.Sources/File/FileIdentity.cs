using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace ExecDashboard.Sources.Files;

/// <summary>
/// Which file a path or an open descriptor refers to: (device, inode). A log rotation renames the
/// file we have open and creates a new one under the same name, so the name alone cannot tell;
/// the inode can. .NET exposes no inode, so this asks the kernel through <c>statx(2)</c>, whose
/// <c>struct statx</c> has one layout on every architecture (include/uapi/linux/stat.h), unlike
/// <c>struct stat</c>.
/// </summary>
internal readonly partial record struct FileIdentity(ulong Device, ulong Inode)
{
    private const int AtFdCwd = -100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxIno = 0x100;
    private const int StatxSize = 256;

    // Offsets in struct statx (include/uapi/linux/stat.h).
    private const int InodeOffset = 32;
    private const int DevMajorOffset = 136;
    private const int DevMinorOffset = 140;

    /// <summary>The identity of the file <paramref name="path"/> names now, or null if none (it is being rotated).</summary>
    public static FileIdentity? OfPath(string path) => Query(AtFdCwd, path, 0);

    /// <summary>The identity of the file behind an open handle.</summary>
    public static FileIdentity? OfHandle(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Query((int)handle.DangerousGetHandle(), string.Empty, AtEmptyPath);
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private static unsafe FileIdentity? Query(int dirFd, string path, int flags)
    {
        var buffer = stackalloc byte[StatxSize];
        if (Statx(dirFd, path, flags, StatxIno, buffer) != 0)
        {
            return null;
        }

        var dev = ((ulong)*(uint*)(buffer + DevMajorOffset) << 32) | *(uint*)(buffer + DevMinorOffset);
        return new FileIdentity(dev, *(ulong*)(buffer + InodeOffset));
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* buffer);
}
